"""The mentorship part of a person's own page (/me/): their matches (the other person, how to
reach them, why they were matched), their enrolments, and the way to the coordinator's pages
for those who run the program. Three queries."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.mentorship import access
from belong.mentorship.actions.matchmaking import reason_words
from belong.mentorship.models import Enrollment, Match
from belong.people.me_sections import Link


def me_context(person) -> dict:
    today = timezone.localdate()
    enrollments = list(
        Enrollment.objects.filter(person=person)
        .select_related("cycle")
        .order_by("-cycle__enrolment_opens_on", "role")
    )
    for enrollment in enrollments:
        enrollment.can_change = enrollment.cycle.enrolment_open(today)
    matches = list(
        Match.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))
        .filter(state=Match.State.ACTIVE)
        .select_related("cycle", "mentee__person", "mentor__person")
        .order_by("-published_at", "pk")
    )
    for match in matches:
        match.i_mentor = match.mentor.person_id == person.pk
        match.other = match.mentee.person if match.i_mentor else match.mentor.person
        match.words = reason_words(match.reasons_for(person))
    return {
        "mentorship_matches": matches,
        "mentorship_enrollments": enrollments,
    }


def me_links(person):
    """The mentorship's entry in /me/'s side list: running the cycles, for coordinators."""
    if not access.can_coordinate(person):
        return []
    return [
        Link(
            20,
            reverse("mentorship:manage"),
            _("Run the mentorship cycles"),
            _("Cycles, enrolment and matching"),
        )
    ]
