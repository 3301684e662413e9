"""A person's transcript, for /me/: their sessions (upcoming and past), the trainings they have
completed, the foundational path's progress and their certificates. A fixed number of queries
however many registrations the person has."""

from django.utils import timezone

from belong.events.models import Event, Registration, ahead_on_waitlist
from belong.training.access import can_see_manage_page
from belong.training.actions.certificates import completed_courses, issue_certificates
from belong.training.models import Certificate, Course


def _with_waitlist_position(registrations):
    """`waitlist_ahead`: how many are ahead on the event's waitlist (waitlisted ones only)."""
    return registrations.annotate(waitlist_ahead=ahead_on_waitlist())


def transcript(person, *, now=None):
    """The context of the transcript part of /me/. Issues any certificate the person has earned
    and does not hold yet (idempotent), so that a new one can be downloaded at once."""
    now = now or timezone.now()
    completed = completed_courses(person)
    issue_certificates(person=person, completed=completed)

    registrations = _with_waitlist_position(
        Registration.objects.filter(person=person)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("event")
        .order_by("event__start", "pk")
    )
    upcoming, past = [], []
    for registration in registrations:
        # A collective's event keeps even one's place private (Event.counts_private).
        private = registration.event.counts_private
        registration.waitlist_position = None if private else registration.waitlist_ahead + 1
        registration.event_cancelled = registration.event.status == Event.Status.CANCELLED
        if registration.event.end >= now:
            upcoming.append(registration)
        elif registration.state != Registration.State.WAITLISTED:
            past.append(registration)
    past.reverse()  # the most recent first

    certificates = list(person.certificates.select_related("course"))
    by_course = {c.course_id: c for c in certificates if c.kind == Certificate.Kind.COURSE}
    courses = Course.objects.filter(pk__in=completed).order_by("order", "title")
    completed_trainings = sorted(
        (
            {
                "course": course,
                "completed_on": completed[course.pk],
                "certificate": by_course.get(course.pk),
            }
            for course in courses
        ),
        key=lambda row: (row["completed_on"], row["course"].title),
        reverse=True,
    )
    foundational = [
        {"course": course, "completed_on": completed.get(course.pk)}
        for course in Course.objects.filter(foundational=True, is_active=True).order_by(
            "order", "title"
        )
    ]
    return {
        "upcoming_registrations": upcoming,
        "past_registrations": past,
        "completed_trainings": completed_trainings,
        "foundational_path": foundational,
        "foundational_done": sum(1 for row in foundational if row["completed_on"]),
        "foundational_certificate": next(
            (c for c in certificates if c.kind == Certificate.Kind.FOUNDATIONAL), None
        ),
    }


def me_context(person) -> dict:
    """The training part of /me/ (registered in TrainingConfig.ready): the transcript."""
    return transcript(person)


def me_links(person):
    """The training's entries in /me/'s side list: running trainings (coordinators,
    facilitators, DEI administrators) and one's group training requests."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from belong.people.me_sections import Link

    links = [
        Link(
            60,
            reverse("training:my_requests"),
            _("Your group training requests"),
            _("Sessions you asked for your team, division or department"),
        )
    ]
    if can_see_manage_page(person):
        links.append(
            Link(
                30,
                reverse("training:manage"),
                _("Run trainings"),
                _("Sessions, rosters, attendance and group requests"),
            )
        )
    return links
