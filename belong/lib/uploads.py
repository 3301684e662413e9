"""Files people upload for others to download (pre-work, the clearinghouse's resources): checked
before they are stored, by every caller (pages, API, commands), not only by a form.

The name's extension must be one of ALLOWED_TYPES, and the content must be what the extension
says (magic bytes; for Office files, the parts of the package; for text, UTF-8 without NUL
bytes), within settings.PREWORK_MAX_MB megabytes. A file that fails raises `UploadRefused` with
what is wrong and what is allowed; each app turns it into its own refusal (field "file", 400).
"""

import os
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.lib.refusals import Refusal

OOXML = {
    ".docx": "word/document.xml",
    ".pptx": "ppt/presentation.xml",
    ".xlsx": "xl/workbook.xml",
}

# extension: (stored content type, what the extension means for people)
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", "PDF"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (.docx)",
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (.pptx)",
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (.xlsx)",
    ),
    ".txt": ("text/plain; charset=utf-8", gettext_lazy("plain text (.txt)")),
    ".png": ("image/png", "PNG"),
    ".jpg": ("image/jpeg", "JPEG"),
    ".jpeg": ("image/jpeg", "JPEG"),
}


class UploadRefused(Refusal):
    """A file this site does not take (its message says what is wrong and what it takes)."""


def allowed_types_text() -> str:
    return _("PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), plain text (.txt), PNG, JPEG")


def max_upload_bytes() -> int:
    return settings.PREWORK_MAX_MB * 1024 * 1024


def _read_head(upload, size=2048) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_ooxml(upload, main_part) -> bool:
    """A real Office Open XML package: a ZIP holding the content-types part and the main part
    of its kind. Only the directory is read, nothing is decompressed."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and main_part in names


def _is_text(upload) -> bool:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(extension, upload) -> bool:
    head = _read_head(upload)
    if extension == ".pdf":
        return b"%PDF-" in head[:1024]
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in OOXML:
        return head.startswith(b"PK\x03\x04") and _is_ooxml(upload, OOXML[extension])
    if extension == ".txt":
        return _is_text(upload)
    return False


def check_upload(upload) -> str:
    """The content type to store for an upload, or `UploadRefused` with what is wrong and what
    is allowed."""
    if upload is None:
        raise UploadRefused(_("Choose a file to upload."))
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_TYPES:
        raise UploadRefused(
            _("“%(name)s” is not a type of file you can upload. Allowed: %(allowed)s.")
            % {"name": name, "allowed": allowed_types_text()}
        )
    limit = settings.PREWORK_MAX_MB
    if upload.size is None or upload.size > max_upload_bytes():
        raise UploadRefused(
            _("“%(name)s” is too big: files can be at most %(limit)d MB.")
            % {"name": name, "limit": limit}
        )
    if upload.size == 0:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    content_type, label = ALLOWED_TYPES[extension]
    if not _content_matches(extension, upload):
        raise UploadRefused(
            _(
                "“%(name)s” is not really a %(kind)s file: its content does not match its "
                "name. Allowed: %(allowed)s."
            )
            % {"name": name, "kind": label, "allowed": allowed_types_text()}
        )
    return content_type
