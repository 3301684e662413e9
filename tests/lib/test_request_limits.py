"""Nothing reaches a disk that could fill it (belong.lib.request_limits): a declared body over the
view's limit is a 413 before anything reads it; file parts are written only for signed-in people
on views that take files; a file that streams past its limit stops being written."""

import inspect
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from belong.lib import request_limits
from belong.lib.request_limits import MB, OversizedUpload

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
PAGE = "/collectives/rainbow/manage/page/"
WRITTEN = []  # (path, bytes written) of every temporary file an upload handler made


class RecordingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's own handler for large uploads, remembering every file it writes."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.record = [self.file.temporary_file_path(), 0]
        WRITTEN.append(self.record)

    def receive_data_chunk(self, raw_data, start):
        self.record[1] += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture(autouse=True)
def _uploads_to_a_temporary_file(settings, tmp_path):
    """Every file part goes to a temporary file (none stays in memory), in the test's folder."""
    WRITTEN.clear()
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.lib.test_request_limits.RecordingTemporaryFileUploadHandler"
    ]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_MEDIA_ROOT = tmp_path / "public"
    return tmp_path / "uploads"


@pytest.fixture
def collective(db):
    from belong.collectives.models import Collective

    return Collective.objects.create(name="Rainbow Collective", slug="rainbow", summary="Before.")


@pytest.fixture
def leads(bob, collective, frank):
    from belong.collectives.actions import leaders
    from belong.collectives.models import LeaderRole

    leaders.appoint_leader(collective.pk, actor=frank, person=bob, title=LeaderRole.Title.CHAIR)


def multipart(**fields):
    return encode_multipart(BOUNDARY, fields)


def upload(name, size):
    return SimpleUploadedFile(name, b"x" * size, content_type="application/octet-stream")


# -- a declared length over the limit --------------------------------------------------------


def test_a_declared_body_over_the_limit_is_a_413_page_before_anything_reads_it(client, tmp_path):
    declared = 200 * MB
    # The body sent is a few bytes: reading past them would fail the test client's payload.
    response = client.generic(
        "POST",
        SIGN_IN,
        data=b"--x--",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(declared),
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Error 413" in body and "at most 2.6 MB" in body
    request = response.wsgi_request
    assert not hasattr(request, "_post") and not hasattr(request, "_body")
    assert WRITTEN == [] and not list((tmp_path / "uploads").iterdir())


def test_under_the_api_the_413_is_in_the_error_shape(client):
    response = client.generic(
        "PUT",
        "/api/v1/me/self-identification",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(3 * MB),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"} and list(body["errors"]) == ["body"]
    assert "at most 2.6 MB" in body["detail"]


def test_the_413_speaks_the_visitors_language(client):
    response = client.generic(
        "POST",
        SIGN_IN,
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(3 * MB),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 413
    assert '<html lang="es"' in response.content.decode()


def test_a_body_within_the_limit_goes_through(client, alice):
    from tests.builders import PASSWORD

    response = client.post(SIGN_IN, {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302


def test_an_upload_view_takes_its_file_limit_more(client, settings):
    settings.COLLECTIVE_IMAGE_MAX_MB = 5
    limit = request_limits.body_limit(5 * MB)
    assert limit == 5 * MB + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + request_limits.FRAMING_BYTES
    over = client.generic(
        "POST", PAGE, data=b"", content_type=MULTIPART_CONTENT, CONTENT_LENGTH=str(limit + 1)
    )
    assert over.status_code == 413 and "at most 7.6 MB" in over.content.decode()


# -- file parts nobody may send ----------------------------------------------------------------


def test_an_anonymous_multipart_to_sign_in_writes_no_temporary_file(tmp_path):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32  # a cookie, and a token that does not match it
    data = multipart(
        csrfmiddlewaretoken="b" * 32, username="x@example.org", file=upload("big.bin", 2 * MB)
    )
    response = client.generic("POST", SIGN_IN, data=data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 403
    request = response.wsgi_request
    assert request.POST["username"] == "x@example.org"  # the fields were read
    assert not request.FILES and WRITTEN == []
    assert not list((tmp_path / "uploads").iterdir())


def test_a_signed_in_person_sends_no_file_to_a_view_that_takes_none(client, alice):
    client.force_login(alice)
    data = multipart(file=upload("big.bin", 2 * MB))
    response = client.generic("POST", "/me/", data=data, content_type=MULTIPART_CONTENT)
    assert response.status_code in (200, 302, 400, 405)
    assert not response.wsgi_request.FILES and WRITTEN == []


def test_an_anonymous_file_to_an_upload_view_is_not_written(client, collective):
    data = multipart(summary="x", image=upload("banner.png", 100_000))
    response = client.generic("POST", PAGE, data=data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 302  # to sign in
    assert not response.wsgi_request.FILES and WRITTEN == []


# -- a file past its limit ---------------------------------------------------------------------


def test_a_file_past_its_limit_stops_being_written_and_the_form_names_it(
    client, bob, leads, collective, settings, tmp_path
):
    settings.COLLECTIVE_IMAGE_MAX_MB = 1
    client.force_login(bob)
    data = multipart(summary="New summary.", image_alt="A banner", image=upload("b.png", 2 * MB))
    response = client.generic("POST", PAGE, data=data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 400
    assert "larger than 1 MB" in str(response.context["form"].errors["image"])
    image = response.wsgi_request.FILES["image"]
    assert isinstance(image, OversizedUpload) and image.size == 2 * MB
    [(path, written)] = WRITTEN
    assert written <= MB  # nothing past the limit reached the disk
    assert not list((tmp_path / "uploads").iterdir())  # and what did is gone
    collective.refresh_from_db()
    assert collective.summary != "New summary." and not collective.image


def test_a_file_within_its_limit_is_taken(client, bob, leads, collective, settings):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "purple").save(buffer, format="PNG")
    picture = SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")
    client.force_login(bob)
    data = multipart(summary="New summary.", image_alt="A purple banner", image=picture)
    response = client.generic("POST", PAGE, data=data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 302
    assert len(WRITTEN) == 1
    collective.refresh_from_db()
    assert collective.image.name.endswith(".png")


# -- which views take files --------------------------------------------------------------------


def test_every_view_that_reads_files_says_how_large_they_may_be():
    """A view that reads request.FILES without accepts_uploads would never get its file."""
    from django.urls import get_resolver

    readers = set()
    for view in request_limits._views(get_resolver().url_patterns):
        inner = inspect.unwrap(view)
        if not inner.__module__.startswith("belong."):
            continue  # Django's admin: no form of Belong's admin has a file field
        try:
            source = inspect.getsource(inner)
        except (OSError, TypeError):
            continue
        if "request.FILES" in source:
            readers.add(f"{inner.__module__}.{inner.__qualname__}")
            assert request_limits.upload_limit(view), f"{inner.__qualname__} takes no files"
    assert len(readers) == 6
    assert {f"{v.__module__}.{v.__qualname__}" for v in request_limits.upload_views()} == readers


def test_the_largest_body_is_the_largest_file_and_the_fields(settings):
    settings.PREWORK_MAX_MB = 10
    settings.COLLECTIVE_IMAGE_MAX_MB = 5
    assert request_limits.max_request_body() == request_limits.body_limit(10 * MB)
    settings.COLLECTIVE_IMAGE_MAX_MB = 30
    assert request_limits.max_request_body() == request_limits.body_limit(30 * MB)


def test_no_admin_form_takes_a_file(rf, django_user_model):
    """The admin's views take no file parts: none of its forms may need one."""
    from django import forms
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_superuser(
        email="root@example.org", password="x" * 12, full_name="Root"
    )
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request)
        files = [name for name, f in form.base_fields.items() if isinstance(f, forms.FileField)]
        assert not files, f"{model.__name__} admin takes files: {files}"
