"""The type of a file is what its bytes are: signature plus structure, never the name."""

import io
import struct

import pytest

from rathaus.testing import samples
from rathaus.uploads import sniffing
from rathaus.uploads.sniffing import sniff


def detect(content: bytes) -> sniffing.Sniffed:
    return sniff(io.BytesIO(content), len(content))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.pdf(), sniffing.PDF),
        (samples.pdf(padding=300_000), sniffing.PDF),
        (samples.png(), sniffing.PNG),
        (samples.png(width=64, height=64), sniffing.PNG),
        (samples.jpeg(), sniffing.JPEG),
        (samples.tiff(), sniffing.TIFF),
        (samples.tiff(big_endian=True), sniffing.TIFF),
        (samples.heic(), sniffing.HEIC),
        (samples.heic(major=b"mif1", compatible=(b"mif1", b"heic")), sniffing.HEIC),
        (samples.heic(major=b"mif1", compatible=(b"mif1",)), sniffing.HEIF),
    ],
    ids=["pdf", "pdf-large", "png", "png-64", "jpeg", "tiff-le", "tiff-be", "heic", "heic-mif1-major", "heif"],
)
def test_complete_files_of_every_accepted_type_are_recognised(content, expected):
    assert detect(content) == sniffing.Sniffed(expected, intact=True)


@pytest.mark.parametrize(
    "content",
    [
        samples.HTML,
        samples.EXE,
        samples.ZIP,
        b"Hallo Rathaus, dies ist nur Text.\n",
        bytes(range(256)) * 40,  # garbage
        b"\x00" * 4096,
        b"%PDF",  # too short for a header
        b" %PDF-1.4\n" + samples.pdf()[9:],  # the header must be at the very start
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        samples.heic(major=b"avif", compatible=(b"mif1", b"avif")),  # AVIF: same container, not accepted
        samples.heic(major=b"mif1", compatible=(b"mif1", b"avif")),
        samples.heic(major=b"isom", compatible=(b"isom", b"mp41")),  # an MP4 video
    ],
    ids=[
        "html",
        "exe",
        "zip",
        "text",
        "garbage",
        "zeros",
        "pdf-stub",
        "pdf-late-header",
        "gif",
        "avif",
        "avif-mif1",
        "mp4",
    ],
)
def test_anything_else_is_unknown(content):
    assert detect(content).content_type is None


def _png_with_bad_header_crc() -> bytes:
    content = bytearray(samples.png())
    content[29] ^= 0xFF  # the last byte of the IHDR checksum
    return bytes(content)


def _jpeg_without_frame() -> bytes:
    content = samples.jpeg()
    start = content.index(b"\xff\xc0")
    return content[:start] + content[start + 2 + 11 :]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.pdf()[:-40], sniffing.PDF),  # cut before startxref/%%EOF
        (samples.pdf(padding=5000)[:3000], sniffing.PDF),  # half a PDF
        (samples.pdf().replace(b"startxref\n", b"startxref\n9999"), sniffing.PDF),  # xref beyond the end
        (samples.png()[:-12], sniffing.PNG),  # no IEND
        (samples.png()[:30], sniffing.PNG),
        (samples.png() + b"PK\x03\x04 appended archive", sniffing.PNG),  # data after IEND
        (_png_with_bad_header_crc(), sniffing.PNG),
        (samples.jpeg()[:-2], sniffing.JPEG),  # no end of image
        (samples.jpeg()[:40], sniffing.JPEG),  # cut inside the segments
        (_jpeg_without_frame(), sniffing.JPEG),
        (b"\xff\xd8\xff" + bytes(range(256)) * 8, sniffing.JPEG),  # a JPEG signature before garbage
        (samples.tiff()[:-1], sniffing.TIFF),  # the strip lies beyond the end
        (samples.tiff()[:20], sniffing.TIFF),  # cut inside the directory
        (b"II*\x00" + struct.pack("<I", 4096) + b"\x00" * 8, sniffing.TIFF),  # directory outside the file
        (samples.heic()[:-5], sniffing.HEIC),  # mdat cut short
        (samples.heic()[:24] + samples.heic()[69:], sniffing.HEIC),  # meta box missing
    ],
    ids=[
        "pdf-no-eof",
        "pdf-half",
        "pdf-bad-xref",
        "png-no-iend",
        "png-cut",
        "png-trailing-data",
        "png-bad-crc",
        "jpeg-no-eoi",
        "jpeg-cut",
        "jpeg-no-frame",
        "jpeg-garbage",
        "tiff-strip-missing",
        "tiff-cut",
        "tiff-bad-ifd",
        "heic-cut",
        "heic-no-meta",
    ],
)
def test_truncated_or_garbled_files_are_recognised_as_damaged(content, expected):
    assert detect(content) == sniffing.Sniffed(expected, intact=False)


def test_an_empty_file_is_unknown():
    assert detect(b"") == sniffing.UNKNOWN


def test_the_end_of_a_jpeg_is_searched_only_in_the_image_data_not_in_a_thumbnail():
    # An EXIF segment carrying a complete thumbnail (with its own FF D9) must not make a cut image "complete".
    image = samples.jpeg()
    thumbnail = samples.jpeg()
    exif = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(thumbnail)) + b"Exif\x00\x00" + thumbnail
    with_thumbnail = image[:2] + exif + image[2:]
    assert detect(with_thumbnail) == sniffing.Sniffed(sniffing.JPEG, intact=True)
    assert detect(with_thumbnail[:-2]) == sniffing.Sniffed(sniffing.JPEG, intact=False)
