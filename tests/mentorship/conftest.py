import datetime

import pytest
from django.utils import timezone

from belong.mentorship import actions
from belong.people.models import OrgUnit


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def cycle(erin, today):
    """A cycle whose enrolment window is open today."""
    return actions.create_cycle(
        actor=erin,
        title="2026-2027 mentorship cycle",
        academic_year="2026-2027",
        enrolment_opens_on=today - datetime.timedelta(days=3),
        enrolment_closes_on=today + datetime.timedelta(days=20),
        matching_on=today + datetime.timedelta(days=25),
        mode="optimal",
        min_score=1,
    )


@pytest.fixture
def units(db):
    campus = OrgUnit.objects.create(slug="twin-cities", name="Twin Cities", kind="campus")
    department = OrgUnit.objects.create(
        slug="medicine", name="Department of Medicine", kind="department", parent=campus
    )
    program = OrgUnit.objects.create(
        slug="im-residency", name="Internal Medicine Residency", kind="program", parent=department
    )
    return {"campus": campus, "department": department, "program": program}
