"""The mentorship part of a person's own page (/me/): their enrolments, and the way to the
coordinator's pages for those who run the program. Two queries."""

from django.utils import timezone

from belong.mentorship import access
from belong.mentorship.models import Enrollment


def me_context(person) -> dict:
    today = timezone.localdate()
    enrollments = list(
        Enrollment.objects.filter(person=person)
        .select_related("cycle")
        .order_by("-cycle__enrolment_opens_on", "role")
    )
    for enrollment in enrollments:
        enrollment.can_change = enrollment.cycle.enrolment_open(today)
    return {
        "mentorship_enrollments": enrollments,
        "manage_mentorship": access.can_coordinate(person),
    }
