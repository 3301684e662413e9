"""Experiences shared "with the leaders" are read by the collective's current leaders only: the
share form tells the writer so. Tried from a DEI administrator's client (who runs the
collective's other tools, and may be staff or even a superuser in the admin): no page, no
count, no link, no action, no admin page shows them."""

import datetime

import pytest
from django.utils import timezone

from belong.collectives import access
from belong.collectives.actions import experiences
from belong.collectives.models import Experience

pytestmark = pytest.mark.django_db

TEXT = "Nobody at the huddle would say my name right."
NAMED = "Shared with my name, for the leaders."
MANAGE = "/collectives/rainbow/manage/"
LIST = MANAGE + "experiences/"


@pytest.fixture
def shared(collective, alice):
    day = timezone.localdate() - datetime.timedelta(days=1)  # leaders read them the day after
    anonymous = experiences.share(
        collective.pk,
        person=alice,
        text=TEXT,
        anonymous=True,
        consent_to_publish=True,
        today=day,
    )
    named = experiences.share(
        collective.pk,
        person=alice,
        text=NAMED,
        anonymous=False,
        consent_to_publish=False,
        today=day,
    )
    return anonymous, named


def test_the_rule(collective, leads, bob, frank, dave):
    assert access.can_read_experiences(bob, collective)
    assert access.can_run(frank, collective)  # the collective's other tools
    assert not access.can_read_experiences(frank, collective)
    assert not access.can_read_experiences(dave, collective)


def test_a_dei_administrator_reads_and_moderates_none_of_them(client, leads, frank, shared):
    anonymous, named = shared
    client.force_login(frank)
    assert client.get(LIST).status_code == 403
    assert client.get(LIST + "?state=all").status_code == 403
    for experience in shared:
        url = f"{LIST}{experience.pk}/"
        assert client.get(url).status_code == 403
        for verb in ("mark_read", "hide", "publish", "unpublish"):
            assert client.post(url, {"action": verb, "story_text": "x"}).status_code == 403
    assert set(Experience.objects.values_list("state", flat=True)) == {"new"}
    overview = client.get(MANAGE)
    assert overview.status_code == 200  # the collective's other tools are theirs
    body = overview.content.decode()
    assert LIST not in body and "Shared experiences" not in body and "new</span>" not in body
    page = client.get("/collectives/rainbow/").content.decode()
    assert LIST not in page
    for text in (TEXT, NAMED):
        assert text not in body and text not in page


def test_the_leader_still_sees_them_all(client, leads, bob, shared):
    client.force_login(bob)
    body = client.get(LIST).content.decode()
    assert TEXT in body and NAMED in body
    overview = client.get(MANAGE).content.decode()
    assert LIST in overview and "2 new" in overview
    assert LIST in client.get("/collectives/rainbow/").content.decode()


@pytest.mark.parametrize("superuser", [False, True])
def test_the_admin_shows_them_to_no_staff_account(client, collective, frank, shared, superuser):
    frank.is_staff = True
    frank.is_superuser = superuser
    frank.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(frank)
    assert client.get("/admin/collectives/experience/").status_code == 404
    pages = [
        client.get("/admin/"),
        client.get("/admin/collectives/"),
        client.get(f"/admin/collectives/collective/{collective.pk}/change/"),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert TEXT not in body and NAMED not in body
        assert "/admin/collectives/experience/" not in body
