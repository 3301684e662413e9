"""Uploads that anyone may see (a collective's image) live in their own storage, ``public``
(``PUBLIC_MEDIA_ROOT``), apart from the default storage (``MEDIA_ROOT``), which holds files for
registrants and signed-in people only (pre-work, resources) and is served by their views. Only
the public storage is ever served at ``MEDIA_URL``: by nginx in a deployment (its ``/media/``
is that folder alone, deploy/nginx/belong.conf) and by :func:`serve_public` where nothing is in
front of Belong (``make run``).
"""

import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from belong.lib.images import CONTENT_TYPES

PUBLIC = "public"


class PublicMediaStorage(FileSystemStorage):
    """The file system storage at ``PUBLIC_MEDIA_ROOT``, served at ``MEDIA_URL``."""

    @cached_property
    def base_location(self):
        # `_location` is set by FileSystemStorage.__init__; django-stubs does not declare it.
        location = self._location  # type: ignore[attr-defined]
        return self._value_or_setting(location, settings.PUBLIC_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PUBLIC_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def public_storage():
    """The storage of pictures anyone may see (a model field's ``storage``)."""
    return storages[PUBLIC]


@require_safe
def serve_public(request, name):
    """A public picture, as the type it was stored as (checked and drawn anew at upload), never
    sniffed; anything else, or anything outside the public storage, is a 404."""
    content_type = CONTENT_TYPES.get(os.path.splitext(name)[1].lower().lstrip("."))
    if content_type is None:
        raise Http404
    storage = public_storage()
    try:
        handle = storage.open(name, "rb")
    except (SuspiciousFileOperation, OSError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
