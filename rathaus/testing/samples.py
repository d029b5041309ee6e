"""Small real files of every accepted type, built byte by byte (no image library needed)."""

from __future__ import annotations

import struct
import zlib

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf(content: bytes = b"BT /F1 12 Tf 72 720 Td (Antrag) Tj ET", padding: int = 0) -> bytes:
    """A one-page PDF with a correct cross-reference table; `padding` adds bytes to the content stream."""
    stream = content + (b"\n%" + b"0" * (padding - 2) if padding >= 2 else b"")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 1, height: int = 1) -> bytes:
    """An RGB PNG, red, with real zlib-compressed scanlines."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    scanlines = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(scanlines))
        + _png_chunk(b"IEND", b"")
    )


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg() -> bytes:
    """A baseline JPEG of one 8x8 grey block: one-symbol Huffman tables, DC difference 0, end of block."""
    one_symbol_table = bytes([1] + [0] * 15) + b"\x00"
    return (
        b"\xff\xd8"
        + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + _segment(0xDB, b"\x00" + b"\x01" * 64)
        + _segment(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00")
        + _segment(0xC4, b"\x00" + one_symbol_table)
        + _segment(0xC4, b"\x10" + one_symbol_table)
        + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # bits 0 (DC: category 0) and 0 (AC: end of block), padded with ones
        + b"\xff\xd9"
    )


def tiff(big_endian: bool = False) -> bytes:
    """A 1x1 8-bit greyscale TIFF, uncompressed, one strip."""
    order = ">" if big_endian else "<"
    entries = [  # tag, type (3 SHORT, 4 LONG), value
        (256, 3, 1),
        (257, 3, 1),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 0),  # strip offset, filled in below
        (277, 3, 1),
        (278, 3, 1),
        (279, 4, 1),
    ]
    data_offset = 8 + 2 + len(entries) * 12 + 4
    table = b""
    for tag, kind, value in entries:
        value = data_offset if tag == 273 else value
        field = struct.pack(order + "HH", value, 0) if kind == 3 else struct.pack(order + "I", value)
        table += struct.pack(order + "HHI", tag, kind, 1) + field
    header = (b"MM\x00*" if big_endian else b"II*\x00") + struct.pack(order + "I", 8)
    return header + struct.pack(order + "H", len(entries)) + table + struct.pack(order + "I", 0) + b"\x80"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def heic(major: bytes = b"heic", compatible: tuple[bytes, ...] = (b"mif1", b"heic")) -> bytes:
    """The box structure of a HEIC photo: ftyp, a meta box with a picture handler, mdat."""
    handler = _box(b"hdlr", b"\x00" * 4 + b"\x00" * 4 + b"pict" + b"\x00" * 12 + b"\x00")
    return (
        _box(b"ftyp", major + b"\x00\x00\x00\x00" + b"".join(compatible))
        + _box(b"meta", b"\x00" * 4 + handler)
        + _box(b"mdat", b"\x00\x00\x00\x10" + b"\x26\x01\xaf\xc0" * 4)
    )


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# The start of a Windows program: "MZ", the DOS stub, the PE header offset.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"PE\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + b"\x00" * 20
