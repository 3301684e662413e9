"""Mentorship's fixtures: today, a cycle whose enrolment is open and a small org tree (a
campus, a department, a residency program)."""

import pytest
from django.utils import timezone

from tests.builders import make_program_tree, open_cycle


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def cycle(erin, today):
    """A cycle whose enrolment window is open today."""
    return open_cycle(erin, opened=3, closes=20, matching=25)


@pytest.fixture
def units(db):
    """{campus, department, program}: Twin Cities, its Department of Medicine, its Internal
    Medicine Residency."""
    return make_program_tree()
