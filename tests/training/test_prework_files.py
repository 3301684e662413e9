"""Pre-work files: uploads checked by extension, by content and by size; who may upload and
remove them; who may download them, and how they are served."""

import pytest
from django.core.files.storage import default_storage

from belong.events import actions
from belong.events.actions import Refused
from belong.events.models import Registration
from belong.people.models import AuditEvent
from belong.training.actions import catalog
from belong.training.models import PreworkFile
from tests.builders import (
    JPEG,
    PDF,
    PNG,
    make_course,
    make_registration,
    make_session,
    new_facilitator,
    new_person,
    office_file,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

State = Registration.State


def course_upload_url(host):
    return f"/training/manage/courses/{host.pk}/prework/"


def session_upload_url(event):
    return f"/training/manage/sessions/{event.pk}/prework/"


def delete_url(item):
    return f"/training/manage/prework/{item.pk}/delete/"


def download_url(item):
    return f"/training/prework/{item.pk}/"


def add(owner_kind, owner, name="reading.pdf", content=PDF, title="Reading"):
    return catalog.add_prework_file(
        actor=None, upload=upload(name, content), title=title, **{owner_kind: owner}
    )


# --- uploads -----------------------------------------------------------------------------------


def test_a_coordinator_uploads_a_pdf_for_a_course(client, carol):
    host = make_course()
    client.force_login(carol)
    response = client.post(
        course_upload_url(host),
        {"upload-title": "The article", "upload-file": upload("article.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#prework-files")
    item = PreworkFile.objects.get()
    assert (item.course, item.event, item.title) == (host, None, "The article")
    assert item.content_type == "application/pdf" and item.size == len(PDF)
    assert item.uploaded_by == carol
    assert default_storage.exists(item.file.name)
    audit = AuditEvent.objects.get(verb="prework_file.added")
    assert audit.actor == carol and audit.detail["course"] == host.pk
    page = client.get(f"/training/manage/courses/{host.pk}/edit/").content.decode()
    assert "The article" in page and download_url(item) in page


def test_an_empty_title_takes_the_files_name(client, frank):
    host = make_course()
    client.force_login(frank)
    client.post(
        course_upload_url(host), {"upload-title": "", "upload-file": upload("Case study.pdf", PDF)}
    )
    assert PreworkFile.objects.get().title == "Case study"


def test_a_session_gets_files_of_its_own(client, carol):
    event = make_session(make_course())
    client.force_login(carol)
    response = client.post(session_upload_url(event), {"upload-file": upload("slides.png", PNG)})
    assert response.status_code == 302
    item = PreworkFile.objects.get()
    assert item.event == event and item.course is None and item.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.txt", "Léa: read this, then that.\n".encode(), "text/plain; charset=utf-8"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        (
            "handout.docx",
            office_file("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "slides.pptx",
            office_file("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "sheet.xlsx",
            office_file("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_every_allowed_type(client, carol, name, content, content_type):
    host = make_course()
    client.force_login(carol)
    response = client.post(course_upload_url(host), {"upload-file": upload(name, content)})
    assert response.status_code == 302
    assert PreworkFile.objects.get().content_type == content_type


def _refused(client, host, name, content):
    response = client.post(course_upload_url(host), {"upload-file": upload(name, content)})
    assert response.status_code == 400
    assert not PreworkFile.objects.exists()
    return response.content.decode()


def test_a_type_not_allowed_is_refused_by_its_extension(client, carol):
    client.force_login(carol)
    page = _refused(client, make_course(), "run-me.exe", b"MZ\x90\x00")
    assert "is not a type of file you can upload." in page
    assert "Allowed: PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx)" in page
    assert 'href="#id_upload-file"' in page  # the error summary names the file field


def test_a_pdf_that_is_not_a_pdf_is_refused(client, carol):
    client.force_login(carol)
    page = _refused(
        client,
        make_course(),
        "report.pdf",
        b"<html><script>alert(1)</script></html>",
    )
    assert "is not really a PDF file: its content does not match its name." in page


def test_a_zip_that_is_not_a_word_file_is_refused(client, carol):
    client.force_login(carol)
    page = _refused(client, make_course(), "handout.docx", office_file(main_part=None))
    assert "is not really a Word (.docx) file" in page


def test_a_word_file_named_as_a_spreadsheet_is_refused(client, carol):
    client.force_login(carol)
    _refused(client, make_course(), "sheet.xlsx", office_file("word/document.xml"))


def test_a_png_named_as_a_jpeg_is_refused(client, carol):
    client.force_login(carol)
    _refused(client, make_course(), "photo.jpg", PNG)


def test_text_with_binary_content_is_refused(client, carol):
    client.force_login(carol)
    _refused(client, make_course(), "notes.txt", b"MZ\x00\x00\x90binary")


def test_a_file_too_big_is_refused(client, carol, settings):
    settings.PREWORK_MAX_MB = 1
    client.force_login(carol)
    page = _refused(client, make_course(), "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "is too big: files can be at most 1 MB." in page


def test_a_file_at_the_limit_is_accepted(client, carol, settings):
    settings.PREWORK_MAX_MB = 1
    client.force_login(carol)
    content = PDF + b"0" * (1024 * 1024 - len(PDF))
    response = client.post(
        course_upload_url(make_course()),
        {"upload-file": upload("big.pdf", content)},
    )
    assert response.status_code == 302


def test_an_empty_file_is_refused(client, carol):
    client.force_login(carol)
    response = client.post(
        course_upload_url(make_course()),
        {"upload-file": upload("empty.pdf", b"")},
    )
    assert response.status_code == 400
    assert not PreworkFile.objects.exists()


def test_no_file_at_all_is_refused(client, carol):
    client.force_login(carol)
    response = client.post(course_upload_url(make_course()), {"upload-title": "Nothing"})
    assert response.status_code == 400
    assert "Choose a file to upload." in response.content.decode()


def test_the_action_checks_uploads_for_every_caller():
    with pytest.raises(Refused) as refusal:
        add("course", make_course(), name="fake.png", content=PDF)
    assert refusal.value.field == "file" and refusal.value.status == 400
    assert not PreworkFile.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_uploading_is_refused_without_the_role(client, who, request):
    host = make_course()
    event = make_session(host)
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(course_upload_url(host), {"upload-file": upload("a.pdf", PDF)}).status_code
        == 403
    )
    assert (
        client.post(session_upload_url(event), {"upload-file": upload("a.pdf", PDF)}).status_code
        == 403
    )
    assert not PreworkFile.objects.exists()


def test_a_facilitator_cannot_upload(client):
    fay = new_facilitator()
    event = make_session(make_course(), facilitators=[fay])
    client.force_login(fay)
    assert (
        client.post(session_upload_url(event), {"upload-file": upload("a.pdf", PDF)}).status_code
        == 403
    )


def test_uploading_is_a_post(client, carol):
    client.force_login(carol)
    assert client.put(course_upload_url(make_course())).status_code == 405
    assert client.put(session_upload_url(make_session(make_course()))).status_code == 405
    assert not PreworkFile.objects.exists()


def test_the_upload_address_after_a_failed_upload_does_not_answer_405(client, carol):
    """A failed upload re-renders the page at the upload's address; reloading (a GET there)
    goes back to the course's or session's page instead of answering 405."""
    host = make_course()
    event = make_session(host)
    client.force_login(carol)
    failed = client.post(course_upload_url(host), {"upload-title": "Nothing attached"})
    assert failed.status_code == 400
    response = client.get(course_upload_url(host))
    assert response.status_code == 302
    assert response["Location"] == f"/training/manage/courses/{host.pk}/edit/#prework-files"
    assert client.get(response["Location"]).status_code == 200
    response = client.get(session_upload_url(event))
    assert response.status_code == 302
    assert response["Location"] == f"/training/manage/sessions/{event.pk}/edit/#prework-files"
    assert client.get(response["Location"]).status_code == 200
    assert not PreworkFile.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_the_upload_address_is_refused_to_a_get_without_the_role(client, who, request):
    host = make_course()
    client.force_login(request.getfixturevalue(who))
    assert client.get(course_upload_url(host)).status_code == 403
    assert client.get(session_upload_url(make_session(host))).status_code == 403


def test_the_upload_address_sends_a_visitor_to_sign_in_on_a_get(client):
    response = client.get(course_upload_url(make_course()))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_uploading_sends_a_visitor_to_sign_in(client):
    response = client.post(course_upload_url(make_course()), {"upload-file": upload("a.pdf", PDF)})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- removing ----------------------------------------------------------------------------------


def test_removing_a_file(client, carol, django_capture_on_commit_callbacks):
    host = make_course()
    item = add("course", host)
    stored = item.file.name
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(item))
    assert response.status_code == 302
    assert not PreworkFile.objects.exists()
    assert not default_storage.exists(stored)
    assert AuditEvent.objects.filter(verb="prework_file.deleted", actor=carol).exists()


def test_removing_a_sessions_file_returns_to_the_session(client, carol):
    event = make_session(make_course())
    item = add("event", event)
    client.force_login(carol)
    response = client.post(delete_url(item))
    assert response["Location"] == f"/training/manage/sessions/{event.pk}/edit/#prework-files"


def test_removing_is_a_post(client, carol):
    client.force_login(carol)
    assert client.get(delete_url(add("course", make_course()))).status_code == 405


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_removing_is_refused_without_the_role(client, who, request):
    item = add("course", make_course())
    client.force_login(request.getfixturevalue(who))
    assert client.post(delete_url(item)).status_code == 403
    assert PreworkFile.objects.filter(pk=item.pk).exists()


def test_removing_a_missing_file_is_not_found(client, carol):
    client.force_login(carol)
    assert client.post("/training/manage/prework/999999/delete/").status_code == 404


# --- downloads -----------------------------------------------------------------------------


def test_a_course_file_is_for_anyone_signed_in(client, alice):
    item = add("course", make_course(), name="article.pdf")
    client.force_login(alice)
    response = client.get(download_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="article.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


def test_a_visitor_is_sent_to_sign_in_for_a_file(client):
    item = add("course", make_course())
    response = client.get(download_url(item))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_sessions_file_is_for_its_registrants_and_those_who_run_it(client, carol, frank, dave):
    fay = new_facilitator()
    event = make_session(make_course(), facilitators=[fay], minimum=0)
    item = add("event", event, name="slides.pdf")
    registrant, waiting, gone = new_person("learner"), new_person("learner"), new_person("learner")
    actions.register(event.pk, person=registrant)
    make_registration(event, waiting, state=State.WAITLISTED)
    make_registration(event, gone, state=State.CANCELLED)
    for person, status in [
        (registrant, 200),
        (waiting, 200),
        (carol, 200),
        (frank, 200),
        (fay, 200),
        (gone, 404),
        (dave, 404),
        (new_facilitator(), 404),
    ]:
        client.force_login(person)
        assert client.get(download_url(item)).status_code == status, person


def test_an_unsafe_stored_name_is_served_safely(client, alice):
    item = add("course", make_course(), name='evil"; name=x\r\n.pdf')
    client.force_login(alice)
    disposition = client.get(download_url(item))["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename=")
    assert disposition.count('"') == 2


def test_a_missing_file_is_not_found(client, alice):
    client.force_login(alice)
    assert client.get("/training/prework/999999/").status_code == 404


def test_a_file_gone_from_storage_is_not_found(client, alice):
    item = add("course", make_course())
    default_storage.delete(item.file.name)
    client.force_login(alice)
    assert client.get(download_url(item)).status_code == 404


def test_downloading_is_a_get(client, alice):
    item = add("course", make_course())
    client.force_login(alice)
    assert client.post(download_url(item)).status_code == 405
