"""Who may see and run an event. Pages, the API and commands all ask here.

- Seeing an event: `Event.objects.visible_to(person)` (public; organization when signed in;
  invitation-only with a registration or the invitation code; members-only for its hosts'
  audience, `events.hosting`).
- Running one (`can_manage`: its roster and attendance): DEI administrators; training
  coordinators for workshop sessions and lectures; a hosting collective's leaders for its
  events (`events.hosting`); the event's own facilitators. Changing,
  cancelling or keeping a session is for coordinators and DEI administrators only
  (`can_create_sessions`; the training pages' own rules are in training/access.py).
"""

from django.http import Http404

from belong.events import hosting
from belong.events.models import Event, Registration
from belong.people import roles
from belong.people.access import has_role


def can_manage(person, event) -> bool:
    if person is None or not person.is_authenticated or not person.is_active:
        return False
    # Who registered for a members-only event tells who belongs to its hosts: its roster is
    # for the hosts' leaders, never for an administrator as such.
    if has_role(person, roles.DEI_ADMINISTRATOR) and event.visibility != Event.Visibility.MEMBERS:
        return True
    if event.kind in (Event.Kind.SESSION, Event.Kind.LECTURE) and has_role(
        person, roles.TRAINING_COORDINATOR
    ):
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
    signed_in = person is not None and person.is_authenticated
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
    if event is None and person is not None and person.is_authenticated:
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
