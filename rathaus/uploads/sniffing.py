"""What a file is, judged by its bytes (magic numbers and structure) - never by its name or the browser's claim.

Rathaus accepts five document types (services/README.md, "Uploads"): PDF, JPEG, PNG, HEIC/HEIF and TIFF.
`sniff` recognises them by their signature and then walks enough of their structure to tell a complete file
from a truncated or garbled one. Everything else (HTML, executables, office files, text) is "unknown".

The stream must be seekable (the upload service spools the file first); only small windows are read.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
HEIC = "image/heic"
HEIF = "image/heif"  # the generic HEIF container (brand mif1) without HEVC brand; counted as HEIC by rules
TIFF = "image/tiff"

CONTENT_TYPES = (PDF, JPEG, PNG, HEIC, HEIF, TIFF)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_PDF_TRAILER = re.compile(rb"startxref\s+([0-9]{1,15})\s+%%EOF\s*$")
_PDF_TAIL = 1024  # readers look for %%EOF within the last 1024 bytes
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"mif2"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_MAX_SEGMENTS = 10_000
_SEARCH_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Sniffed:
    """The detected type (None: not one of Rathaus' document types) and whether its structure is complete."""

    content_type: str | None
    intact: bool = True


UNKNOWN = Sniffed(None, intact=False)


class _Broken(Exception):
    """The file starts like a known type but its structure does not hold."""


def _read_at(stream: BinaryIO, offset: int, length: int) -> bytes:
    stream.seek(offset)
    return stream.read(length)


def _exactly(stream: BinaryIO, offset: int, length: int) -> bytes:
    data = _read_at(stream, offset, length)
    if len(data) != length:
        raise _Broken
    return data


def sniff(stream: BinaryIO, size: int) -> Sniffed:
    """Detect the type of the `size` bytes in `stream` (seekable) by content alone."""
    if size <= 0:
        return UNKNOWN
    head = _read_at(stream, 0, 16)
    for matches, check, content_type in _DETECTORS:
        if not matches(head):
            continue
        try:
            detected = content_type(stream)
        except (_Broken, struct.error):
            return UNKNOWN
        try:
            check(stream, size)
        except (_Broken, struct.error):
            return Sniffed(detected, intact=False)
        return Sniffed(detected)
    return UNKNOWN


# PDF: "%PDF-1.x" at the start; "startxref <offset> %%EOF" at the end, the offset inside the file.


def _is_pdf(head: bytes) -> bool:
    return _PDF_HEADER.match(head) is not None


def _check_pdf(stream: BinaryIO, size: int) -> None:
    tail = _read_at(stream, max(size - _PDF_TAIL, 0), _PDF_TAIL)
    if b"%%EOF" not in tail:
        raise _Broken
    trailer = _PDF_TRAILER.search(tail.rstrip(b"\x00"))
    if trailer is None or int(trailer.group(1)) >= size:
        raise _Broken


# PNG: signature, IHDR first (with a valid CRC), at least one IDAT, IEND last and nothing after it.


def _is_png(head: bytes) -> bool:
    return head.startswith(_PNG_SIGNATURE)


def _check_png(stream: BinaryIO, size: int) -> None:
    position = len(_PNG_SIGNATURE)
    seen_idat = False
    first = True
    while True:
        length, kind = struct.unpack(">I4s", _exactly(stream, position, 8))
        if length > 0x7FFFFFFF or not kind.isalpha() or position + 12 + length > size:
            raise _Broken
        if first:
            if kind != b"IHDR" or length != 13:
                raise _Broken
            body = _exactly(stream, position + 4, 4 + length)
            (crc,) = struct.unpack(">I", _exactly(stream, position + 8 + length, 4))
            if zlib.crc32(body) != crc:
                raise _Broken
            first = False
        seen_idat = seen_idat or kind == b"IDAT"
        position += 12 + length
        if kind == b"IEND":
            if not seen_idat or position != size:
                raise _Broken
            return


# JPEG: SOI, marker segments up to a frame header (SOF) and the start of scan (SOS), then the entropy-coded
# data. Inside that data 0xFF is always followed by 0x00 or a restart marker, so an FF D9 after the SOS can
# only be the end of image (EOI): a truncated file has none.


def _is_jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _check_jpeg(stream: BinaryIO, size: int) -> None:
    position = 2
    seen_frame = False
    for _ in range(_MAX_SEGMENTS):
        if _exactly(stream, position, 1) != b"\xff":
            raise _Broken
        while (marker := _exactly(stream, position + 1, 1)[0]) == 0xFF:  # fill bytes
            position += 1
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        if marker in (0xD8, 0xD9, 0x00):
            raise _Broken
        (length,) = struct.unpack(">H", _exactly(stream, position + 2, 2))
        if length < 2 or position + 2 + length > size:
            raise _Broken
        seen_frame = seen_frame or marker in _JPEG_SOF
        position += 2 + length
        if marker == 0xDA:
            if not seen_frame or not _contains(stream, position, size, b"\xff\xd9"):
                raise _Broken
            return
    raise _Broken


def _contains(stream: BinaryIO, start: int, end: int, needle: bytes) -> bool:
    stream.seek(start)
    carry = b""
    remaining = end - start
    while remaining > 0:
        chunk = stream.read(min(_SEARCH_CHUNK, remaining))
        if not chunk:
            return False
        remaining -= len(chunk)
        if needle in carry + chunk:
            return True
        carry = chunk[-(len(needle) - 1) :]
    return False


# TIFF: byte order, magic 42 (classic) or 43 (BigTIFF), the first IFD inside the file with width and height,
# and every strip or tile it points to inside the file.

_TIFF_TYPE_SIZES = {
    1: 1,
    2: 1,
    3: 2,
    4: 4,
    5: 8,
    6: 1,
    7: 1,
    8: 2,
    9: 4,
    10: 8,
    11: 4,
    12: 8,
    13: 4,
    16: 8,
    17: 8,
    18: 8,
}
_TIFF_INTEGER_FORMATS = {3: "H", 4: "I", 13: "I", 16: "Q"}
_TIFF_WIDTH, _TIFF_LENGTH = 256, 257
_TIFF_DATA_TAGS = ((273, 279), (324, 325))  # strip offsets/byte counts, tile offsets/byte counts


def _is_tiff(head: bytes) -> bool:
    return head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


def _check_tiff(stream: BinaryIO, size: int) -> None:
    head = _exactly(stream, 0, 16 if size >= 16 else 8)
    order = "<" if head[:2] == b"II" else ">"
    big = head[2:4] in (b"+\x00", b"\x00+")
    if big:
        offset_size, always_zero = struct.unpack(order + "HH", head[4:8])
        if offset_size != 8 or always_zero != 0:
            raise _Broken
        (ifd,) = struct.unpack(order + "Q", _exactly(stream, 8, 8))
        count_format, entry_size, value_size, pointer = "Q", 20, 8, "Q"
    else:
        (ifd,) = struct.unpack(order + "I", head[4:8])
        count_format, entry_size, value_size, pointer = "H", 12, 4, "I"
    if ifd < 8 or ifd >= size:
        raise _Broken
    count_length = struct.calcsize(count_format)
    (count,) = struct.unpack(order + count_format, _exactly(stream, ifd, count_length))
    if count == 0 or ifd + count_length + count * entry_size + value_size > size:
        raise _Broken
    entries: dict[int, list[int]] = {}
    table = _exactly(stream, ifd + count_length, count * entry_size)
    for index in range(count):
        entry = table[index * entry_size : (index + 1) * entry_size]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        (number,) = struct.unpack(order + ("Q" if big else "I"), entry[4 : 4 + value_size])
        if kind not in _TIFF_TYPE_SIZES:
            continue  # unknown types are to be skipped by readers
        length = _TIFF_TYPE_SIZES[kind] * number
        field = entry[4 + value_size :]
        if length > value_size:
            (where,) = struct.unpack(order + pointer, field)
            if where + length > size:
                raise _Broken
            if tag in (_TIFF_WIDTH, _TIFF_LENGTH, 273, 279, 324, 325):
                field = _exactly(stream, where, length)
        if tag in (_TIFF_WIDTH, _TIFF_LENGTH, 273, 279, 324, 325):
            if kind not in _TIFF_INTEGER_FORMATS or number > 1_000_000:
                raise _Broken
            entries[tag] = list(struct.unpack(order + _TIFF_INTEGER_FORMATS[kind] * number, field[:length]))
    if not entries.get(_TIFF_WIDTH) or not entries.get(_TIFF_LENGTH):
        raise _Broken
    found_data = False
    for offsets_tag, counts_tag in _TIFF_DATA_TAGS:
        offsets, counts = entries.get(offsets_tag), entries.get(counts_tag)
        if offsets is None and counts is None:
            continue
        if offsets is None or counts is None or len(offsets) != len(counts):
            raise _Broken
        if any(start + length > size for start, length in zip(offsets, counts, strict=True)):
            raise _Broken
        found_data = True
    if not found_data:
        raise _Broken


# HEIC/HEIF: ISO base media file format. An `ftyp` box first whose brands name HEIC (HEVC-coded images) or
# the generic HEIF image brands; top-level boxes that add up exactly to the file size; a `meta` box (the
# image items live there).


def _is_heif(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS | _HEIF_BRANDS


def _heif_brands(stream: BinaryIO) -> set[bytes]:
    (box_size,) = struct.unpack(">I", _exactly(stream, 0, 4))
    if box_size < 16 or box_size > 4096 or (box_size - 16) % 4:
        raise _Broken
    data = _exactly(stream, 8, box_size - 8)
    return {data[0:4]} | {data[i : i + 4] for i in range(8, len(data), 4)}


def _check_heif(stream: BinaryIO, size: int) -> None:
    position = 0
    seen: set[bytes] = set()
    for _ in range(_MAX_SEGMENTS):
        if position == size:
            break
        box_size, kind = struct.unpack(">I4s", _exactly(stream, position, 8))
        if not all(0x20 <= char <= 0x7E for char in kind):
            raise _Broken
        header = 8
        if box_size == 1:
            (box_size,) = struct.unpack(">Q", _exactly(stream, position + 8, 8))
            header = 16
        elif box_size == 0:
            box_size = size - position
        if box_size < header or position + box_size > size:
            raise _Broken
        seen.add(kind)
        position += box_size
    else:
        raise _Broken
    if b"meta" not in seen:
        raise _Broken


def _heif_content_type(stream: BinaryIO) -> str:
    brands = _heif_brands(stream)
    if brands & _HEIC_BRANDS:
        return HEIC
    if brands & _AVIF_BRANDS:
        raise _Broken  # AVIF uses the same container but is not among the accepted types
    return HEIF


_Detector = tuple[Callable[[bytes], bool], Callable[[BinaryIO, int], None], Callable[[BinaryIO], str]]


def _fixed(content_type: str) -> Callable[[BinaryIO], str]:
    return lambda stream: content_type


_DETECTORS: tuple[_Detector, ...] = (
    (_is_pdf, _check_pdf, _fixed(PDF)),
    (_is_png, _check_png, _fixed(PNG)),
    (_is_jpeg, _check_jpeg, _fixed(JPEG)),
    (_is_tiff, _check_tiff, _fixed(TIFF)),
    (_is_heif, _check_heif, _heif_content_type),
)
