"""Public pictures are checked and drawn anew (belong.lib.images): too many pixels are refused
before decoding, and only the pixels are stored (no trailing HTML, no text chunks, no EXIF)."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from belong.lib import images

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of(width: int, height: int) -> bytes:
    """A real, valid black-and-white PNG of width x height, made row by row (a 144-megapixel
    one is some 18 kB: what a decompression bomb looks like)."""
    row = b"\x00" + bytes((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def picture(kind="PNG", size=(16, 16), colour="purple", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind, **options)
    return buffer.getvalue()


def upload(data: bytes, name="banner.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_144_megapixel_png_is_refused_before_it_is_decoded(settings):
    settings.IMAGE_MAX_MEGAPIXELS = 40
    bomb = png_of(12_000, 12_000)
    assert len(bomb) < 100_000
    with Image.open(io.BytesIO(bomb)) as opened:  # Pillow alone would open it (a warning only)
        assert opened.size == (12_000, 12_000)
    with pytest.raises(images.PictureRefused) as refused:
        images.redraw(upload(bomb))
    assert "too many pixels" in str(refused.value.message)


def test_the_pixel_limit_is_a_setting(settings):
    settings.IMAGE_MAX_MEGAPIXELS = 1
    with pytest.raises(images.PictureRefused):
        images.redraw(upload(png_of(1001, 1000)))
    assert images.redraw(upload(png_of(1000, 1000))).name == "image.png"


def test_a_png_html_polyglot_is_stored_as_its_pixels_alone():
    text = chunk(b"tEXt", b"Comment\x00" + HTML)
    original = picture()
    polyglot = original[:33] + text + original[33:] + HTML  # a text chunk, and HTML after IEND
    with Image.open(io.BytesIO(polyglot)) as opened:
        assert opened.format == "PNG"  # it passes as a picture
    stored = images.redraw(upload(polyglot), stem="banner")
    data = stored.read()
    assert stored.name == "banner.png"
    assert b"<html" not in data and b"<script" not in data and b"tEXt" not in data
    assert data.endswith(chunk(b"IEND", b""))
    with Image.open(io.BytesIO(data)) as drawn:
        assert drawn.format == "PNG" and drawn.size == (16, 16)
        assert drawn.convert("RGB").getpixel((3, 3)) == (128, 0, 128)


def test_exif_is_dropped_and_the_picture_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90 degrees
    exif[0x010F] = "PhoneMaker"
    data = picture("JPEG", size=(40, 20), exif=exif.tobytes())
    stored = images.redraw(upload(data, "photo.jpeg")).read()
    with Image.open(io.BytesIO(stored)) as drawn:
        assert drawn.format == "JPEG" and drawn.size == (20, 40)
        assert not drawn.getexif() and "exif" not in drawn.info
    assert b"PhoneMaker" not in stored


def test_the_format_comes_from_the_content_and_a_large_picture_is_made_smaller():
    stored = images.redraw(upload(picture("WEBP", size=(3000, 1000)), "page.html"), stem="page")
    assert stored.name == "page.webp"
    with Image.open(stored) as drawn:
        assert drawn.format == "WEBP" and drawn.size == (images.MAX_SIDE, 800)


@pytest.mark.parametrize(
    "data",
    [
        b"not a picture",
        picture("GIF"),
        picture()[:60],  # cut short
        b"<html>" + picture(),
    ],
    ids=["text", "gif", "truncated", "html-first"],
)
def test_what_is_not_a_whole_jpeg_png_or_webp_is_refused(data):
    with pytest.raises(images.PictureRefused) as refused:
        images.redraw(upload(data))
    assert "JPEG, PNG or WebP" in str(refused.value.message)


def test_a_transparent_png_keeps_its_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (255, 0, 0, 0)).save(buffer, format="PNG")
    stored = images.redraw(upload(buffer.getvalue()))
    with Image.open(stored) as drawn:
        assert drawn.mode == "RGBA" and drawn.getpixel((0, 0))[3] == 0
