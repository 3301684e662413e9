"""Who may do what in training, decided in one place. Views, the API and commands call these:
404 for outsiders who must not know a thing exists, 403 for too low a role."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404

from belong.events.models import Event
from belong.people import roles
from belong.people.access import has_role, is_signed_in
from belong.training.actions.evaluations import token_digest
from belong.training.models import Course, EvaluationInvite

# --- evaluations ---------------------------------------------------------------------------------

EVALUATION_READERS = (roles.TRAINING_COORDINATOR, roles.DEI_ADMINISTRATOR)


def can_read_every_evaluation(person) -> bool:
    """Every session's evaluation results, by role: training coordinators and DEI
    administrators (a facilitator reads those of the sessions they facilitate)."""
    return has_role(person, *EVALUATION_READERS)


def can_see_session_evaluations(person, event) -> bool:
    """Training coordinators, DEI administrators and the session's own facilitators."""
    if not is_signed_in(person):
        return False
    if can_read_every_evaluation(person):
        return True
    return event.facilitators.filter(pk=person.pk).exists()


def can_see_course_evaluations(person, course) -> bool:
    """Training coordinators, DEI administrators and the facilitators of any of its sessions."""
    if not is_signed_in(person):
        return False
    if can_read_every_evaluation(person):
        return True
    return Event.objects.filter(course=course, facilitators=person).exists()


def session_for_evaluations(person, event_id):
    """The session `event_id` of a course and its course, if `person` may read its evaluation
    results: 404 for an event that no course hosts, 403 for too low a role."""
    event = Event.objects.filter(
        host_type=ContentType.objects.get_for_model(Course), pk=event_id
    ).first()
    if event is None:
        raise Http404
    if not can_see_session_evaluations(person, event):
        raise PermissionDenied
    course = Course.objects.filter(pk=event.host_id).first()
    if course is None:
        raise Http404
    return event, course


def course_for_evaluations(person, slug):
    """The course `slug`, if `person` may read its evaluation results: 404 for no such course,
    403 for too low a role."""
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404
    if not can_see_course_evaluations(person, course):
        raise PermissionDenied
    return course


def evaluation_invite_for(person, token):
    """The invitation behind an evaluation link, if it is `person`'s; otherwise 404 (a link of
    someone else's must not even be confirmed to exist)."""
    if not token or len(token) > 100:
        raise Http404
    invite = (
        EvaluationInvite.objects.select_related("registration__event")
        .filter(token=token_digest(token), registration__person=person)
        .first()
    )
    if invite is None:
        raise Http404
    return invite


# --- group training requests ---------------------------------------------------------------------

REQUEST_COORDINATORS = (roles.TRAINING_COORDINATOR, roles.DEI_ADMINISTRATOR)


def can_work_group_requests(person) -> bool:
    """Training coordinators and DEI administrators work the queue of group requests."""
    return has_role(person, *REQUEST_COORDINATORS)


def own_group_request(person, pk, queryset=None):
    """One of `person`'s own group requests; anyone else's is a 404 (not even confirmed to
    exist)."""
    from belong.training.models import GroupRequest

    queryset = GroupRequest.objects.all() if queryset is None else queryset
    group_request = queryset.filter(pk=pk, requester=person).first()
    if group_request is None:
        raise Http404
    return group_request


# --- coordinator pages: courses, sessions, lectures, rosters, pre-work files ---------------------

ROSTER_KINDS = (Event.Kind.SESSION, Event.Kind.LECTURE)


def can_run_catalog(person) -> bool:
    """Create and change courses and sessions and their pre-work files, cancel a session or
    keep a short one running: training coordinators and DEI administrators."""
    from belong.events.access import can_create_sessions

    return can_create_sessions(person)


def can_see_manage_page(person) -> bool:
    """The coordinators' page: coordinators and administrators see every session; facilitators
    (the role, or facilitating any session) see the sessions they facilitate."""
    if not is_signed_in(person):
        return False
    if can_run_catalog(person) or has_role(person, roles.FACILITATOR):
        return True
    return Event.objects.filter(facilitators=person).exists()


def roster_event_or_404(person, pk, *, queryset=None):
    """A session or lecture whose roster `person` may see and whose attendance they may mark
    (belong.events.access.can_manage: administrators, coordinators, its facilitators): 404 when
    there is no such event, 403 for anyone else."""
    from belong.events.access import managed_event_or_404

    queryset = Event.objects.all() if queryset is None else queryset
    return managed_event_or_404(person, pk, queryset=queryset.filter(kind__in=ROSTER_KINDS))


def catalog_session_or_404(person, pk, *, queryset=None):
    """A course's session, for changing it: 404 when there is none, 403 unless `person` runs
    the catalog (facilitators read rosters and mark attendance; they do not change sessions)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import PermissionDenied

    queryset = Event.objects.all() if queryset is None else queryset
    event = queryset.filter(
        pk=pk, kind=Event.Kind.SESSION, host_type=ContentType.objects.get_for_model(Course)
    ).first()
    if event is None:
        raise Http404
    if not can_run_catalog(person):
        raise PermissionDenied
    return event


def catalog_lecture_or_404(person, pk, *, queryset=None):
    """A lecture, for changing it: 404 when there is none (or when `person` may not even see
    it), 403 unless `person` runs the catalog (a lecture's facilitators read its roster)."""
    from django.core.exceptions import PermissionDenied

    queryset = Event.objects.all() if queryset is None else queryset
    event = queryset.filter(pk=pk, kind=Event.Kind.LECTURE).first()
    if event is None:
        raise Http404
    if not can_run_catalog(person):
        if not Event.objects.visible_to(person).filter(pk=event.pk).exists():
            raise Http404
        raise PermissionDenied
    return event


def catalog_course_or_404(person, pk, *, queryset=None):
    """A course, for changing it: 404 when there is none, 403 unless `person` runs the catalog."""
    from django.core.exceptions import PermissionDenied

    queryset = Course.objects.all() if queryset is None else queryset
    course = queryset.filter(pk=pk).first()
    if course is None:
        raise Http404
    if not can_run_catalog(person):
        raise PermissionDenied
    return course


def can_download_prework(person, item) -> bool:
    """A course's pre-work files: anyone signed in. A session's own: whoever holds a
    registration for it (not cancelled) and whoever runs it."""
    from belong.events.access import can_manage
    from belong.events.models import Registration

    if not is_signed_in(person):
        return False
    if item.course_id is not None:
        return True
    event = item.event
    if can_manage(person, event):
        return True
    return (
        Registration.objects.filter(event=event, person=person)
        .exclude(state=Registration.State.CANCELLED)
        .exists()
    )
