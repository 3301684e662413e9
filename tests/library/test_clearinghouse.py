"""/resources/: the clearinghouse. Anyone signed in suggests a resource (a link or a checked
file); mentorship coordinators and DEI administrators publish or decline it; everyone finds
published ones by words and by topic."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from belong.library import resources
from belong.library.models import Resource
from belong.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db

SUGGEST = "/resources/suggest/"
CURATE = "/resources/curate/"


def published(title, summary, tags, *, actor):
    resource = resources.suggest(
        person=actor, title=title, summary=summary, tags=tags, link="https://example.org/x"
    )
    return resources.curate(resource.pk, actor=actor, state="published")


def test_a_member_suggests_and_it_waits_for_a_coordinator(client, alice):
    response = client.post(SUGGEST, {"title": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    client.force_login(alice)
    data = {
        "title": "Holistic review toolkit",
        "summary": "AAMC's guide.",
        "tags": ["holistic_review"],
    }
    response = client.post(SUGGEST, data)
    assert (
        response.status_code == 400 and "Give a link or attach a file." in response.content.decode()
    )
    response = client.post(SUGGEST, {**data, "tags": ["gardening"]})
    assert response.status_code == 400 and "tags" in response.context["form"].errors
    response = client.post(SUGGEST, {**data, "link": "https://www.aamc.org/holistic"})
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.state == "submitted" and resource.submitted_by == alice
    assert "Holistic review toolkit" not in client.get("/resources/").content.decode()


def test_a_file_is_checked_like_every_upload(client, alice):
    client.force_login(alice)
    fake = SimpleUploadedFile("guide.pdf", b"not a pdf at all", content_type="application/pdf")
    data = {"title": "Guide", "summary": "s", "tags": ["retention"], "file": fake}
    response = client.post(SUGGEST, data)
    assert response.status_code == 400
    assert "is not really a PDF file" in response.content.decode()
    assert not Resource.objects.exists()


def test_coordinators_publish_and_decline(client, alice, erin, dave):
    resource = resources.suggest(
        person=alice,
        title="Interview guide",
        summary="s",
        tags=["interviewing"],
        link="https://e.org",
    )
    client.force_login(dave)
    assert client.get(CURATE).status_code == 403
    client.force_login(erin)
    assert "Interview guide" in client.get(CURATE).content.decode()
    response = client.post(CURATE, {"resource": resource.pk, "state": "declined", "reason": ""})
    assert response.status_code == 400 and "Say why it is declined" in response.content.decode()
    assert client.post(CURATE, {"resource": "x", "state": "published"}).status_code == 400
    assert client.post(CURATE, {"resource": resource.pk, "state": "published"}).status_code == 302
    resource.refresh_from_db()
    assert resource.state == "published" and resource.curated_by == erin
    told = OutboundMessage.objects.get(person=alice)
    assert told.subject == "Listed in the clearinghouse: Interview guide"
    assert "Interview guide" in client.get("/resources/").content.decode()


def test_search_by_words_and_topic(client, erin):
    published(
        "Recruiting residents from Minnesota's tribal nations",
        "Pathways.",
        ["recruiting"],
        actor=erin,
    )
    published(
        "Standardized interviews",
        "Reduce bias in residency interviews.",
        ["interviewing"],
        actor=erin,
    )
    page = client.get("/resources/", {"q": "interviews"}).content.decode()
    assert "Standardized interviews" in page and "tribal" not in page
    page = client.get("/resources/", {"tag": "recruiting"}).content.decode()
    assert "tribal nations" in page and "Standardized" not in page
    page = client.get("/resources/", {"q": "gardening"}).content.decode()
    assert "Nothing matches that search." in page
    assert client.get("/resources/", {"tag": "nonsense"}).status_code == 400


def test_only_published_files_are_served_to_everyone(client, alice, dave, erin):
    pdf = SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    resource = resources.suggest(
        person=alice, title="Guide", summary="s", tags=["data"], upload=pdf
    )
    url = f"/resources/files/{resource.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 200  # its author
    client.force_login(dave)
    assert client.get(url).status_code == 404
    resources.curate(resource.pk, actor=erin, state="published")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_declined_suggestion_tells_its_author_why(alice, erin):
    resource = resources.suggest(
        person=alice, title="Old list", summary="s", tags=["data"], link="https://e.org"
    )
    resources.curate(resource.pk, actor=erin, state="declined", reason="The link is broken.")
    told = OutboundMessage.objects.get(person=alice)
    assert told.subject == "Not listed in the clearinghouse: Old list"
    assert "The link is broken." in told.body_text
