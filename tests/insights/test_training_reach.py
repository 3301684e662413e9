"""/insights/training/: attendance by month and the foundational path by department and by
month, every count of people read from the latest release (cut here with no perturbation, so
that what is counted is checked exactly)."""

import datetime

import pytest
from django.utils import timezone

from belong.events.models import Registration
from belong.insights import periods
from belong.people.models import OrgUnit
from belong.training.models import Certificate
from tests.builders import cut_release, exact_releases, make_person, make_session

pytestmark = pytest.mark.django_db

URL = "/insights/training/"


def figure(response, slug):
    return next(i["figure"] for i in response.context["figures"] if i["figure"].slug == slug)


@pytest.fixture
def medicine(db):
    campus = OrgUnit.objects.create(slug="tc", name="Twin Cities", kind="campus")
    department = OrgUnit.objects.create(
        slug="medicine", name="Department of Medicine", kind="department", parent=campus
    )
    OrgUnit.objects.create(slug="cardiology", name="Cardiology", kind="division", parent=department)
    return department


def test_months_are_the_last_twelve_oldest_first():
    span = periods.months(datetime.date(2026, 12, 5))
    assert span[0] == datetime.date(2026, 1, 1) and span[-1] == datetime.date(2026, 12, 1)
    assert len(span) == 12


def attend(event, attended, no_shows):
    for n in range(attended + no_shows):
        person = make_person(f"e{event.pk}-{n}@example.org", f"A {n}")
        state = Registration.State.ATTENDED if n < attended else Registration.State.NO_SHOW
        Registration.objects.create(event=event, person=person, state=state)


def test_attendance_by_month(client, grace, settings):
    exact_releases(settings)
    held = make_session(days=-3)
    attend(held, 12, 11)
    cut_release()
    client.force_login(grace)
    response = client.get(URL)
    assert response.status_code == 200
    attendance = figure(response, "attendance")
    month = timezone.localtime(held.start).date().replace(day=1)
    row = periods.months(timezone.localdate()).index(month)
    assert "(1 session)" in attendance.rows[row]
    assert [c.value for c in attendance.table.cells[row]] == [12, 11]
    assert attendance.share(row, 0) == "52%"


def test_a_few_no_shows_are_hidden_with_what_gives_them_away(client, grace):
    held = make_session(days=-3)
    attend(held, 12, 2)
    cut_release()
    client.force_login(grace)
    attendance = figure(client.get(URL), "attendance")
    month = timezone.localtime(held.start).date().replace(day=1)
    row = periods.months(timezone.localdate()).index(month)
    assert attendance.table.cells[row][1].value is None
    # 12 attended and 14 in all would give the 2 away: one of them is hidden too.
    assert None in (attendance.table.cells[row][0].value, attendance.table.row_totals[row].value)
    assert attendance.share(row, 1) is None


def test_foundational_completion_by_department(client, grace, medicine, settings):
    exact_releases(settings)
    cardiology = OrgUnit.objects.get(slug="cardiology")
    today = timezone.localdate()
    for n in range(25):
        person = make_person(
            f"m{n}@example.org",
            f"M {n}",
            kind="faculty",
            org_unit=cardiology if n % 2 else medicine,
        )
        if n < 13:
            Certificate.objects.create(
                person=person, kind="foundational", code=f"F{n:04d}", completed_on=today
            )
    cut_release()
    client.force_login(grace)
    response = client.get(URL)
    path = figure(response, "foundational")
    assert "Department of Medicine" in path.rows and "Cardiology" not in path.rows
    # The division counts in its department (what the release counted, before protection).
    from belong.insights.dashboards import training

    source = training.foundational_source()
    units = [u for u in source.units if u.group == f"department:{medicine.pk}"]
    assert len(units) == 25
    assert sum(u.cells["training.foundational"] == "completed" for u in units) == 13
    # Grace (staff, no department, not completed) is a group of one: hidden, with the cell
    # that would give her away.
    alone = path.rows.index("No department")
    assert path.table.cells[alone][1].value is None
    completions = figure(response, "completions")
    assert completions.table.cells[-1][0].value == 13
    assert "data:image/svg+xml;base64," in response.content.decode()
