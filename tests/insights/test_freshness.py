"""A dashboard's figures are served from the cache until the data under them changes: a second
view reads no self-identification, and a revoked consent, a new answer or a new registration
computes them again at once."""

import pytest

from belong.people import privacy
from belong.people.models import AuditEvent
from tests.conftest import make_person

pytestmark = pytest.mark.django_db
URL = "/insights/representation/"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.INSIGHTS_CACHE_SECONDS = 3600  # as with Redis (off by default without it)


def reads():
    return AuditEvent.objects.filter(verb="identity.read").count()


def faculty_black(response):
    race = next(i["figure"] for i in response.context["figures"] if i["figure"].slug == "race")
    return race.table.cells[race.rows.index("Faculty")][
        race.columns.index("Black or African American")
    ]


@pytest.fixture
def eleven(db):
    people = []
    for n in range(11):
        person = make_person(f"f{n}@example.org", f"F {n}", kind="faculty")
        privacy.save_answers(
            person=person, answers={"race_ethnicity": {"values": ["black_african_american"]}}
        )
        privacy.give(person=person, purpose="reporting")
        people.append(person)
    return people


def test_a_second_view_is_served_from_the_cache(client, grace, eleven):
    client.force_login(grace)
    assert faculty_black(client.get(URL)).value == 11
    assert reads() == 1
    assert faculty_black(client.get(URL)).value == 11
    client.get(URL + "race.csv")
    assert reads() == 1  # nothing opened again
    assert AuditEvent.objects.filter(verb="insights.viewed").count() == 2  # every view audited


def test_a_revoked_consent_computes_the_figures_again_at_once(client, grace, eleven):
    client.force_login(grace)
    assert faculty_black(client.get(URL)).value == 11
    privacy.revoke(person=eleven[0], purpose="reporting")
    assert faculty_black(client.get(URL)).value is None  # 10: hidden
    assert reads() == 2


def test_a_sign_in_does_not_throw_the_figures_away(client, grace, eleven):
    from django.utils import timezone

    client.force_login(grace)
    client.get(URL)
    grace.last_login = timezone.now()
    grace.save(update_fields=["last_login"])
    client.get(URL)
    assert reads() == 1


def test_without_the_cache_every_view_computes(client, grace, eleven, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    client.force_login(grace)
    client.get(URL)
    client.get(URL)
    assert reads() == 2
