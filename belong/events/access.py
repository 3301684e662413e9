"""Who may see and run an event. Pages, the API and commands all ask here.

- Seeing an event: `Event.objects.visible_to(person)` for lists (public; organization when
  signed in and active; invitation-only with a registration; members-only for its hosts'
  audience, `events.hosting`); `can_see` and `visible_event_or_404` for one event add the
  invitation code and the people who run it (`can_manage`). The three agree everywhere else,
  for every kind of event and viewer (tests/events/test_visibility_agreement.py). An inactive
  account is a visitor (`belong.people.access.is_signed_in`).
- Running one (`can_manage`: its roster and attendance): DEI administrators; training
  coordinators for workshop sessions and lectures; a hosting collective's leaders for its
  events (`events.hosting`); the event's own facilitators. Changing,
  cancelling or keeping a session is for coordinators and DEI administrators only
  (`can_create_sessions`; the training pages' own rules are in training/access.py).
- Opening a members-only event to more people (`can_widen`): its hosts' leaders only.
- The Django admin (`admin_events`, `ADMIN_OPERATOR_FIELDS`): operators every event and every
  field; anyone else the events they run by role, never what decides who runs them.
"""

from django.db.models import Q
from django.http import Http404

from belong.events import hosting
from belong.events.models import Event, Registration
from belong.people import roles
from belong.people.access import has_role, is_operator, is_signed_in

ROLE_RUN_KINDS = (Event.Kind.SESSION, Event.Kind.LECTURE)


def runs_by_role(person, event) -> bool:
    """Whether `person` runs the event by an organisation-wide role, not by facilitating it or
    leading a host: DEI administrators every event, training coordinators sessions and
    lectures, but never a members-only one (who registered for it tells who belongs to its
    hosts: its roster is for the hosts' leaders, never for a role as such)."""
    if not is_signed_in(person) or event.visibility == Event.Visibility.MEMBERS:
        return False
    if has_role(person, roles.DEI_ADMINISTRATOR):
        return True
    return event.kind in ROLE_RUN_KINDS and has_role(person, roles.TRAINING_COORDINATOR)


def run_by_role_q(person) -> Q:
    """`runs_by_role` as a Q over Event."""
    if not is_signed_in(person):
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    if has_role(person, roles.DEI_ADMINISTRATOR):
        condition |= Q(pk__isnull=False)
    if has_role(person, roles.TRAINING_COORDINATOR):
        condition |= Q(kind__in=ROLE_RUN_KINDS)
    # No role runs a members-only event (who registered tells who belongs to its hosts).
    return condition & ~Q(visibility=Event.Visibility.MEMBERS)


def admin_events(person, queryset=None):
    """The events `person` may open in the Django admin: every one for an operator; for anyone
    else only those they run by role (`runs_by_role`). Facilitating an event or leading its
    host does not open it there, and a members-only event is never there for an administrator
    as such."""
    queryset = queryset if queryset is not None else Event.objects.all()
    if is_operator(person):
        return queryset
    return queryset.filter(run_by_role_q(person))


# What decides who sees an event and who runs it, beyond its visibility: the kind, the host
# and the facilitators. They are set where the event is made (a course's sessions, the lectures,
# a collective's events), each through its action; in the Django admin only operators set them.
ADMIN_OPERATOR_FIELDS = ("kind", "host_type", "host_id", "facilitators")


def can_widen(person, event) -> bool:
    """Whether `person` may open the event to more people than its members-only audience. Who
    registered for a members-only event tells who belongs to its hosts, and the roster of a
    wider event is also for administrators (`runs_by_role`): only its hosts' leaders open it."""
    if event.visibility != Event.Visibility.MEMBERS:
        return True
    return hosting.can_manage(person, event)


def can_manage(person, event) -> bool:
    if not is_signed_in(person):
        return False
    if runs_by_role(person, event):
        return True
    if event.kind == Event.Kind.COLLECTIVE and hosting.can_manage(person, event):
        return True
    return event.facilitators.filter(pk=person.pk).exists()


def can_create_sessions(person) -> bool:
    return has_role(person, roles.TRAINING_COORDINATOR, roles.DEI_ADMINISTRATOR)


def can_see(person, event, *, registration=None, invitation_code="") -> bool:
    """The rule of `visible_event_or_404` for an event already loaded, given the person's own
    registration for it (or None): public events for everyone, organization events for the
    signed-in, invitation-only ones with a registration that is not cancelled, the invitation
    code, or for the people who run them. No query unless it comes to `can_manage`."""
    if event.visibility == Event.Visibility.PUBLIC:
        return True
    signed_in = is_signed_in(person)
    if event.visibility == Event.Visibility.ORGANIZATION:
        return signed_in
    if (
        signed_in
        and registration is not None
        and registration.state != Registration.State.CANCELLED
    ):
        return True
    if event.visibility == Event.Visibility.MEMBERS:
        return signed_in and (hosting.in_audience(person, event) or can_manage(person, event))
    if invitation_code and invitation_code == event.invitation_code:
        return True
    return can_manage(person, event)


def visible_event_or_404(person, pk, *, invitation_code="", queryset=None):
    """The event if `person` may see it (or holds its invitation code), else 404."""
    queryset = queryset if queryset is not None else Event.objects.all()
    event = queryset.visible_to(person).filter(pk=pk).first()
    if event is None and invitation_code:
        event = queryset.filter(
            pk=pk, visibility=Event.Visibility.INVITATION, invitation_code=invitation_code
        ).first()
    if event is None and is_signed_in(person):
        # The people who run an event see it even without an invitation of their own.
        candidate = queryset.filter(pk=pk).first()
        if candidate is not None and can_manage(person, candidate):
            event = candidate
    if event is None:
        raise Http404
    return event


def managed_event_or_404(person, pk, *, queryset=None):
    """For staff pages: 404 when the event does not exist, PermissionDenied (403) when the
    person may not run it."""
    from django.core.exceptions import PermissionDenied

    queryset = queryset if queryset is not None else Event.objects.all()
    event = queryset.filter(pk=pk).first()
    if event is None:
        raise Http404
    if not can_manage(person, event):
        if not Event.objects.visible_to(person).filter(pk=event.pk).exists():
            raise Http404  # an outsider must not learn that an invitation-only event exists
        raise PermissionDenied
    return event
