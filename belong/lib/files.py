"""Serving an uploaded file as a download."""

import os

from django.http import FileResponse, Http404


def attachment(field_file, content_type, *, private=False):
    """`field_file` as an attachment under its stored name (made safe by the storage), with the
    content type checked at upload, never sniffed; `private`: never kept by a shared cache. A
    file missing from the storage is a 404."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(field_file.name),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
