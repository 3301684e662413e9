"""Joining a collective, choosing who may see it, leaving.

A membership's person alone changes it. Leaving deletes the row: what remains is the monthly
count (MembershipCount), which holds no names. Every change locks the collective's row, so the
month's count is recounted by one writer at a time."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.collectives import access
from belong.collectives.models import Collective, Membership, MembershipCount
from belong.lib import refusals
from belong.people.access import is_signed_in


class Refused(refusals.Refusal):
    """A request that changes nothing, with a message for the person and the field at fault."""

    field = "collective"


@dataclass
class Outcome:
    membership: Membership | None
    created: bool = False
    changed: tuple = ()


def _choice(value, choices, field, allowed_message):
    if value is None:
        return None
    if value not in choices.values:
        raise Refused(allowed_message, field=field)
    return value


def _kind(value):
    return _choice(value, Membership.Kind, "kind", _("Choose “member” or “ally”."))


def _visibility(value):
    return _choice(
        value,
        Membership.Visibility,
        "visibility",
        _("Choose who may see it: “leaders”, “members” or “organization”."),
    )


def _lock(collective_id, *, active_only=True) -> Collective:
    collectives = Collective.objects.select_for_update().filter(pk=collective_id)
    collective = (collectives.filter(is_active=True) if active_only else collectives).first()
    if collective is None:
        raise Collective.DoesNotExist
    return collective


def record_month(collective, *, today=None) -> MembershipCount:
    """Recount the collective's members and allies into this month's row (no names kept)."""
    today = today or timezone.localdate()
    counts = Membership.objects.filter(collective=collective).aggregate(
        members=Count("pk", filter=Q(kind=Membership.Kind.MEMBER)),
        allies=Count("pk", filter=Q(kind=Membership.Kind.ALLY)),
    )
    row, _created = MembershipCount.objects.update_or_create(
        collective=collective, month=today.replace(day=1), defaults=counts
    )
    return row


@transaction.atomic
def join(collective_id, *, person, kind=None, visibility=None, today=None) -> Outcome:
    """Join as a member or an ally, or change how one belongs (PUT): joining twice is harmless.
    A new membership is seen by the collective's leaders only unless the person chooses
    otherwise."""
    if not is_signed_in(person):
        raise Refused(_("Sign in to join a collective."), status=401, code="sign_in")
    kind, visibility = _kind(kind), _visibility(visibility)
    collective = _lock(collective_id)
    membership = Membership.objects.filter(collective=collective, person=person).first()
    if membership is None:
        membership = Membership.objects.create(
            collective=collective,
            person=person,
            kind=kind or Membership.Kind.MEMBER,
            visibility=visibility or Membership.Visibility.LEADERS,
        )
        record_month(collective, today=today)
        access.forget_cached(person)
        return Outcome(membership, created=True, changed=("kind", "visibility"))
    changed = []
    if kind is not None and kind != membership.kind:
        membership.kind = kind
        changed.append("kind")
    if visibility is not None and visibility != membership.visibility:
        membership.visibility = visibility
        changed.append("visibility")
    if changed:
        membership.save(update_fields=changed)
        if "kind" in changed:
            record_month(collective, today=today)
    return Outcome(membership, changed=tuple(changed))


@transaction.atomic
def leave(collective_id, *, person, today=None) -> bool:
    """Leave: the membership is deleted. True when there was one (leaving twice is harmless).
    One may leave a collective that is no longer active, too."""
    if not is_signed_in(person):
        raise Refused(_("Sign in to leave a collective."), status=401, code="sign_in")
    collective = _lock(collective_id, active_only=False)
    deleted, _rows = Membership.objects.filter(collective=collective, person=person).delete()
    if deleted:
        record_month(collective, today=today)
        access.forget_cached(person)
    return bool(deleted)
