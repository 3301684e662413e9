"""A mentorship cycle whose enrolment is open today, for the tests of every folder."""

import datetime

from django.utils import timezone

from belong.mentorship import actions


def open_cycle(actor, *, opened=0, closes=10, matching=12, title="2026-2027 mentorship cycle"):
    """Enrolment opened `opened` days ago and closes in `closes` days; matching in `matching`."""
    today = timezone.localdate()
    return actions.create_cycle(
        actor=actor,
        title=title,
        academic_year="2026-2027",
        enrolment_opens_on=today - datetime.timedelta(days=opened),
        enrolment_closes_on=today + datetime.timedelta(days=closes),
        matching_on=today + datetime.timedelta(days=matching),
        mode="optimal",
        min_score=1,
    )
