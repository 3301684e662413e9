"""Pictures people upload for everyone to see (a collective's image): checked, then drawn again.

What is stored is never the uploaded bytes: Pillow reads the picture (its format from the
content, never from the name), refuses one with more than ``IMAGE_MAX_MEGAPIXELS`` million
pixels before decoding it (a decompression bomb, a 144-megapixel PNG), and writes its pixels
anew, at most ``MAX_SIDE`` pixels on a side, turned upright as the camera said. Whatever else the
file held goes: anything after the picture's end (a PNG/HTML polyglot), text chunks, EXIF (a
phone's GPS position), colour profiles.
"""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from belong.lib.refusals import Refusal

# Format as Pillow names it -> the extension the stored file gets, and the type it is served as.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Longest side of a stored picture: a page banner needs no more.
MAX_SIDE = 2400


class PictureRefused(Refusal):
    """An upload that is not a picture this site takes (its message says why)."""


def max_pixels() -> int:
    return settings.IMAGE_MAX_MEGAPIXELS * 1_000_000


def redraw(upload, stem: str = "image") -> ContentFile:
    """The picture in `upload` drawn anew as `<stem>.<jpg|png|webp>`, or `PictureRefused`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            kind = picture.format
            if kind not in FORMATS:
                raise PictureRefused(_("Choose a JPEG, PNG or WebP picture."))
            width, height = picture.size
            if width * height > max_pixels():
                raise PictureRefused(_("The picture has too many pixels: choose a smaller one."))
            picture.load()
            drawn = ImageOps.exif_transpose(picture)
    except Image.DecompressionBombError:
        raise PictureRefused(_("The picture has too many pixels: choose a smaller one.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise PictureRefused(_("Choose a JPEG, PNG or WebP picture.")) from None
    finally:
        upload.seek(0)
    drawn.thumbnail((MAX_SIDE, MAX_SIDE))
    # Pillow writes some of what it read (a colour profile, EXIF) back out: keep only the pixels.
    drawn.info = {key: drawn.info[key] for key in ("transparency",) if key in drawn.info}
    output = io.BytesIO()
    if kind == "JPEG":
        if drawn.mode not in ("RGB", "L"):
            drawn = drawn.convert("RGB")
        drawn.save(output, format="JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        if drawn.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            drawn = drawn.convert("RGBA")
        drawn.save(output, format="PNG", optimize=True)
    else:
        if drawn.mode not in ("RGB", "RGBA"):
            drawn = drawn.convert("RGBA" if "A" in drawn.getbands() else "RGB")
        drawn.save(output, format="WEBP", quality=85)
    return ContentFile(output.getvalue(), name=f"{stem}.{FORMATS[kind]}")
