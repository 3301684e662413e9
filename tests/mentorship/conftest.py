import pytest
from django.utils import timezone

from belong.people.models import OrgUnit
from tests.mentorship.cycles import open_cycle


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def cycle(erin, today):
    """A cycle whose enrolment window is open today."""
    return open_cycle(erin, opened=3, closes=20, matching=25)


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
