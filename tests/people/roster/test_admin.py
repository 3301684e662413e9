"""The roster imports' reports are for operators: read-only in the admin, and no other staff
role sees them, even with admin access."""

import pytest
from django.test import Client
from django.urls import reverse

from belong.people import roles
from belong.people.models import RosterImport
from tests.builders import make_person
from tests.people.roster.conftest import person_row

pytestmark = pytest.mark.django_db

STAFF_ROLES = [
    roles.DEI_ADMINISTRATOR,
    roles.ANALYST,
    roles.FACILITATOR,
    roles.TRAINING_COORDINATOR,
    roles.MENTORSHIP_COORDINATOR,
]


@pytest.fixture
def report(csv_roster, imported):
    return imported(csv_roster([person_row(1, full_name="Ana Ruiz")]))


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_an_operator_reads_the_report(report):
    oscar = make_person("oscar@example.org", "Oscar", is_superuser=True, is_staff=True)
    client = _client(oscar)
    page = client.get(reverse("admin:people_rosterimport_change", args=[report.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Line 2 (employee id E1001): created" in body and "Ana Ruiz" in body
    assert client.get(reverse("admin:people_rosterimport_changelist")).status_code == 200
    # read-only: no adding, changing or deleting
    assert client.get(reverse("admin:people_rosterimport_add")).status_code == 403
    posted = client.post(
        reverse("admin:people_rosterimport_change", args=[report.pk]), {"file_name": "x"}
    )
    assert posted.status_code == 403
    assert (
        client.post(
            reverse("admin:people_rosterimport_delete", args=[report.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.file_name == "roster.csv"


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_other_staff_role_sees_it(role, report):
    person = make_person(f"{role}@example.org".replace(" ", "-"), "Staff", role, is_staff=True)
    client = _client(person)
    for url in (
        reverse("admin:people_rosterimport_changelist"),
        reverse("admin:people_rosterimport_change", args=[report.pk]),
    ):
        page = client.get(url)
        assert page.status_code in (302, 403), (role, url)
        assert "Ana Ruiz" not in page.content.decode()
    index = client.get(reverse("admin:index"))
    assert "rosterimport" not in index.content.decode()
    assert RosterImport.objects.count() == 1
