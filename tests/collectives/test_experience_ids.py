"""Experiences carry random ids (issue 14, item 8): a sequential id shared with named
experiences told leaders the order of sharing, so that an anonymous experience sat between two
named ones of the same day. The id is a version 4 UUID in every address and form, the leaders'
list is ordered by the day and then by that id and shows a day's experiences from the next day
(so that no time of day shows either), and migration 0006 gave existing rows (and the audit
entries about them) random ids."""

import datetime
import re
import types
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from belong.collectives.actions import experiences
from belong.collectives.models import Experience
from belong.lib import ratelimit
from tests.builders import make_person

DAY = datetime.date(2026, 11, 30)  # in the past (the leaders read a day's from the next day)
LIST = "/collectives/rainbow/manage/experiences/"
LINK = re.compile(r"/collectives/rainbow/manage/experiences/([^/\"?]+)/")


@pytest.fixture(autouse=True)
def pinned_hour(monkeypatch):
    """The rate limit's clock, pinned in the middle of an hour."""
    clock = types.SimpleNamespace(now=1_741_950_000.0)
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: clock.now))


def share_a_day(collective, *, count=20, day=DAY):
    """`count` experiences shared one after the other on `day`, named and anonymous in turn,
    each by a different person (the rate limit is per person): in the order shared."""
    shared = []
    for n in range(count):
        writer = make_person(f"writer{day:%d}{n}@example.org", f"Writer {n}")
        shared.append(
            experiences.share(
                collective.pk,
                person=writer,
                text=f"Experience number {n} of the day.",
                anonymous=n % 2 == 1,
                consent_to_publish=False,
                today=day,
            )
        )
    return shared


@pytest.mark.django_db
def test_ids_are_random_and_the_leaders_list_tells_nothing_of_the_order_shared(
    client, collective, leads, bob
):
    earlier = share_a_day(collective, count=3, day=DAY - datetime.timedelta(days=1))
    shared = share_a_day(collective)
    for experience in shared:
        assert isinstance(experience.pk, uuid.UUID) and experience.pk.version == 4
    client.force_login(bob)
    page = client.get(LIST).content.decode()
    listed = [uuid.UUID(found) for found in LINK.findall(page)]
    assert len(listed) == len(set(listed)) == 23
    # The day first (the latest first), then the random id: nothing else.
    assert listed[:20] == sorted(e.pk for e in shared)
    assert set(listed[20:]) == {e.pk for e in earlier}
    in_order = [e.pk for e in shared]
    assert listed[:20] not in (in_order, in_order[::-1])  # 2 of 20! orders
    for experience in shared:  # and each page answers at its random address only
        assert client.get(f"{LIST}{experience.pk}/").status_code == 200
    assert client.get(f"{LIST}1/").status_code == 404


@pytest.fixture
def pinned_day(monkeypatch):
    """Today, pinned (so that midnight cannot pass during a test), and a way to move it."""
    original = timezone.localdate

    def pin(day):
        def localdate(value=None, timezone=None):
            return day if value is None else original(value, timezone)

        monkeypatch.setattr(timezone, "localdate", localdate)

    start = original()
    pin(start)
    return types.SimpleNamespace(today=start, pin=pin)


@pytest.mark.django_db
def test_leaders_see_a_day_s_experiences_from_the_next_day_so_no_time_of_day_shows(
    client, collective, leads, bob, pinned_day
):
    """Watching the list (or the count of new ones) while the day runs would show the moment
    an anonymous experience appears: the row keeps no time of day, and neither may the pages."""
    client.force_login(bob)
    manage = f"/collectives/{collective.slug}/manage/"
    before = LINK.findall(client.get(LIST).content.decode())
    overview = client.get(manage).content.decode().count("new</span>")
    shared = share_a_day(collective, count=2, day=pinned_day.today)
    page = client.get(LIST).content.decode()
    assert LINK.findall(page) == before == [] and "No experiences in this state." in page
    assert client.get(manage).content.decode().count("new</span>") == overview == 0
    for experience in shared:
        assert client.get(f"{LIST}{experience.pk}/").status_code == 404
    pinned_day.pin(pinned_day.today + datetime.timedelta(days=1))
    listed = [uuid.UUID(found) for found in LINK.findall(client.get(LIST).content.decode())]
    assert listed == sorted(e.pk for e in shared)
    assert "2 new" in client.get(manage).content.decode()
    for experience in shared:
        assert client.get(f"{LIST}{experience.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_list_costs_no_more_for_many(
    client, collective, leads, bob, django_assert_max_num_queries
):
    share_a_day(collective, count=30)
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


MIGRATION = ("collectives", "0006_experience_random_id")
BEFORE = ("collectives", "0005_announcement_no_recipient_count")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_rows_random_ids_and_the_audit_log_follows():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Collective = apps.get_model("collectives", "Collective")
    OldExperience = apps.get_model("collectives", "Experience")
    AuditEvent = apps.get_model("people", "AuditEvent")
    Person = apps.get_model("people", "Person")
    rainbow = Collective.objects.create(name="Rainbow", slug="rainbow", summary="S")
    writer = Person.objects.create(email="w@example.org", full_name="W")
    old = [
        OldExperience.objects.create(
            collective=rainbow,
            text=f"Story {n}",
            person=writer if n % 2 else None,
            consent_to_publish=n == 2,
            state="published" if n == 2 else "new",
            shared_on=DAY,
            published_on=DAY if n == 2 else None,
            story_text="Edited" if n == 2 else "",
        )
        for n in range(4)
    ]
    AuditEvent.objects.create(
        verb="collective.experience_published",
        object_type="collectives.experience",
        object_id=str(old[2].pk),
    )
    kept = {(e.text, e.person_id, e.consent_to_publish, e.state, e.published_on) for e in old}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([MIGRATION])
    apps = executor.loader.project_state([MIGRATION]).apps
    NewExperience = apps.get_model("collectives", "Experience")
    rows = list(NewExperience.objects.all())
    assert {(e.text, e.person_id, e.consent_to_publish, e.state, e.published_on) for e in rows} == (
        kept
    )
    assert all(isinstance(e.pk, uuid.UUID) and e.pk.version == 4 for e in rows)
    assert all(e.shared_on == DAY and e.collective_id == rainbow.pk for e in rows)
    published = NewExperience.objects.get(state="published")
    entry = apps.get_model("people", "AuditEvent").objects.get()
    assert entry.object_id == str(published.pk)

    executor = MigrationExecutor(connection)  # and back, and forward again (the last state)
    executor.loader.build_graph()
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    back = apps.get_model("collectives", "Experience").objects.all()
    assert {(e.text, e.person_id, e.consent_to_publish, e.state, e.published_on) for e in back} == (
        kept
    )
    entry = apps.get_model("people", "AuditEvent").objects.get()
    assert entry.object_id == str(back.get(state="published").pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Experience.objects.count() == 4
