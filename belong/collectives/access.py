"""Who may see and do what in the collectives, decided here and nowhere else. Pages, the API,
exports and emails all ask these functions.

Memberships are private by default. A membership is seen by:

- its own person, always;
- the collective's current leaders, always (the least a member can choose is "leaders only");
- with visibility "members": also everyone else who has joined the same collective (as a member
  or an ally);
- with visibility "organization": also everyone signed in.

Nobody else: not DEI administrators, analysts, superusers or the Django admin. Counts of
members and allies are figures about people: they come from a release (belong.insights.cutting).

Running a collective (its page, events, announcements, recommendations) is for its current
leaders and for DEI administrators. The members list, and the experiences shared with it (the
form tells the writer that its leaders read them), are for its current leaders only: no role
(DEI administrator, superuser) reads them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from belong.collectives.models import (
    Announcement,
    Collective,
    Experience,
    LeaderRole,
    Membership,
    Recommendation,
)
from belong.people import roles
from belong.people.access import has_role, is_signed_in


def current_leader_roles(today=None):
    today = today or timezone.localdate()
    return LeaderRole.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def led_collective_ids(person, today=None) -> set[int]:
    """The collectives `person` currently leads (cached on the person for the request)."""
    if not is_signed_in(person):
        return set()
    cached = getattr(person, "_led_collective_ids", None)
    if cached is None:
        cached = set(
            current_leader_roles(today)
            .filter(person=person)
            .values_list("collective_id", flat=True)
        )
        person._led_collective_ids = cached
    return cached


def joined_collective_ids(person) -> set[int]:
    """The collectives `person` has joined, as a member or an ally (cached per request)."""
    if not is_signed_in(person):
        return set()
    cached = getattr(person, "_joined_collective_ids", None)
    if cached is None:
        cached = set(person.memberships.values_list("collective_id", flat=True))
        person._joined_collective_ids = cached
    return cached


def forget_cached(person) -> None:
    """After a join or a leave, so that the same request sees the change."""
    for name in ("_led_collective_ids", "_joined_collective_ids"):
        if hasattr(person, name):
            delattr(person, name)


def is_leader(person, collective) -> bool:
    return collective.pk in led_collective_ids(person)


def can_run(person, collective) -> bool:
    """Edit the page, hold events, write announcements and recommendations: its current leaders
    and DEI administrators."""
    if not is_signed_in(person):
        return False
    return is_leader(person, collective) or has_role(person, roles.DEI_ADMINISTRATOR)


def can_see_members(person, collective) -> bool:
    """The members list (of the memberships visible to leaders): current leaders only."""
    return is_leader(person, collective)


def can_read_experiences(person, collective) -> bool:
    """Read and moderate the experiences shared with it: its current leaders only. The share
    form tells the writer that the leaders read it; a staff role is not a leader."""
    return is_leader(person, collective)


def readable_experiences(collective, *, today=None):
    """The experiences its leaders may read (once `can_read_experiences`): those shared before
    today, in the installation's zone. One shared today shows from tomorrow on, named or
    anonymous alike, so that a leader who keeps the list open cannot see the moment one appears
    (a time of day the row never stores), and no count moves while the day runs."""
    return Experience.objects.filter(
        collective=collective, shared_on__lt=today or timezone.localdate()
    )


def can_name_leaders(person) -> bool:
    """Name a collective's leaders and end their terms: DEI administrators (not its leaders)."""
    return has_role(person, roles.DEI_ADMINISTRATOR)


def visible_memberships_q(viewer) -> Q:
    """A Q over Membership selecting exactly what `viewer` may see (the rule above)."""
    if not is_signed_in(viewer):
        return Q(pk__in=[])
    V = Membership.Visibility
    return (
        Q(person=viewer)
        | Q(collective_id__in=led_collective_ids(viewer))
        | Q(visibility=V.ORGANIZATION)
        | Q(visibility=V.MEMBERS, collective_id__in=joined_collective_ids(viewer))
    )


def visible_memberships(viewer, queryset=None):
    queryset = queryset if queryset is not None else Membership.objects.all()
    return queryset.filter(visible_memberships_q(viewer))


def can_see_membership(viewer, membership) -> bool:
    if not is_signed_in(viewer):
        return False
    if membership.person_id == viewer.pk:
        return True
    if membership.collective_id in led_collective_ids(viewer):
        return True
    if membership.visibility == Membership.Visibility.ORGANIZATION:
        return True
    return (
        membership.visibility == Membership.Visibility.MEMBERS
        and membership.collective_id in joined_collective_ids(viewer)
    )


def collective_or_404(slug, queryset=None) -> Collective:
    queryset = queryset if queryset is not None else Collective.objects.all()
    collective = queryset.filter(slug=slug, is_active=True).first() if slug else None
    if collective is None:
        raise Http404
    return collective


def run_collective_or_403(person, slug, queryset=None) -> Collective:
    """For leaders' pages: 404 when there is no such collective, 403 when `person` may not run
    it (sign-in is required by the view's decorator)."""
    collective = collective_or_404(slug, queryset)
    if not can_run(person, collective):
        raise PermissionDenied
    return collective


def experiences_collective_or_403(person, slug, queryset=None) -> Collective:
    """For the shared experiences' pages: 404 when there is no such collective, 403 for anyone
    but its current leaders."""
    collective = collective_or_404(slug, queryset)
    if not can_read_experiences(person, collective):
        raise PermissionDenied
    return collective


def can_answer_recommendations(person) -> bool:
    return has_role(person, roles.DEI_ADMINISTRATOR)


def can_see_recommendation(person, recommendation) -> bool:
    """A submitted recommendation is public (the tracker); a draft is seen only by those who
    run its collective."""
    if recommendation.state != Recommendation.State.DRAFT:
        return True
    return can_run(person, recommendation.collective)


def readable_announcements_q(person) -> Q:
    """A Q over Announcement: those `person` may read. Public ones for everyone; members-only
    ones for the collective's members and allies, its current leaders and DEI
    administrators."""
    public = Q(audience=Announcement.Audience.PUBLIC)
    if not is_signed_in(person):
        return public
    if has_role(person, roles.DEI_ADMINISTRATOR):
        return Q()
    return public | Q(collective_id__in=joined_collective_ids(person) | led_collective_ids(person))


def can_read_announcement(person, announcement) -> bool:
    """The rule of `readable_announcements_q` for one announcement."""
    if announcement.audience == Announcement.Audience.PUBLIC:
        return True
    if not is_signed_in(person):
        return False
    collective_id = announcement.collective_id
    return (
        collective_id in joined_collective_ids(person)
        or collective_id in led_collective_ids(person)
        or has_role(person, roles.DEI_ADMINISTRATOR)
    )


def can_curate_directories(person) -> bool:
    return has_role(person, roles.DEI_ADMINISTRATOR)
