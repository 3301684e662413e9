"""Leader roles (added by DEI administrators) and the collective's page (edited by its leaders
and DEI administrators)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from belong.collectives import access
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Collective, Commitment, LeaderRole
from belong.people.actions import audit, tell_about_account


def _admin_only(actor):
    if not access.can_name_leaders(actor):
        raise PermissionDenied


@transaction.atomic
def appoint_leader(
    collective_id, *, actor, person, title, other_title="", starts_on=None, ends_on=None
) -> LeaderRole:
    """A DEI administrator names a leader for a term (open-ended when `ends_on` is empty)."""
    _admin_only(actor)
    if person.pk == actor.pk:
        # A leader sees the collective's members: a role nobody gives themselves.
        raise Refused(
            _("Nobody names themselves a leader: ask another DEI administrator."),
            field="email",
            status=403,
            code="self_appointment",
        )
    if not person.is_active:
        raise Refused(_("This person can no longer sign in to Belong."), field="email")
    if title not in LeaderRole.Title.values:
        raise Refused(
            _("Choose one of the titles: chair, co-chair, executive sponsor or other."),
            field="title",
        )
    if title == LeaderRole.Title.OTHER and not other_title.strip():
        raise Refused(_("Name the role when the title is “other”."), field="other_title")
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise Refused(_("The term cannot end before it starts."), field="ends_on")
    collective = Collective.objects.select_for_update().get(pk=collective_id)
    other_title = other_title.strip() if title == LeaderRole.Title.OTHER else ""
    role, created = LeaderRole.objects.get_or_create(
        collective=collective,
        person=person,
        title=title,
        other_title=other_title,
        defaults={"starts_on": starts_on, "ends_on": ends_on},
    )
    if not created:
        role.starts_on, role.ends_on = starts_on, ends_on
        role.save(update_fields=["starts_on", "ends_on"])
    event = audit(actor=actor, verb="collective.leader_appointed", obj=role, person=person.pk)
    with translation.override(person.language or settings.LANGUAGE_CODE):
        names = {
            "title": role.label,
            "collective": collective.name,
            "start": formats.date_format(role.starts_on),
            "end": formats.date_format(role.ends_on) if role.ends_on else "",
        }
        if role.ends_on:
            line = _("You were named %(title)s of %(collective)s from %(start)s to %(end)s.")
        else:
            line = _("You were named %(title)s of %(collective)s from %(start)s.")
        line = line % names
    tell_about_account(person, [line], key=f"leader:{role.pk}:{event.pk}")
    access.forget_cached(person)
    return role


@transaction.atomic
def end_leader_term(role_id, *, actor, today=None) -> LeaderRole:
    """End a leader's term (a DEI administrator): it ended yesterday, so the role no longer
    counts from today. A term that has not begun yet (it starts today or later) is withdrawn.
    A term that has already ended is left as it is (ending it again would move its end)."""
    _admin_only(actor)
    today = today or timezone.localdate()
    role = LeaderRole.objects.select_for_update().select_related("person").get(pk=role_id)
    if role.ends_on is not None and role.ends_on < today:
        return role
    person = role.person
    with translation.override(person.language or settings.LANGUAGE_CODE):
        line = _("Your role as %(title)s of %(collective)s has ended.") % {
            "title": role.label,
            "collective": role.collective.name,
        }
    if role.starts_on >= today:
        event = audit(actor=actor, verb="collective.leader_withdrawn", obj=role)
        key = f"leader-withdrawn:{role.pk}:{event.pk}"
        role.delete()
    else:
        role.ends_on = today - datetime.timedelta(days=1)
        role.save(update_fields=["ends_on"])
        event = audit(actor=actor, verb="collective.leader_term_ended", obj=role)
        key = f"leader-ended:{role.pk}:{event.pk}"
    tell_about_account(person, [line], key=key)
    access.forget_cached(person)
    return role


PAGE_FIELDS = ("summary", "mission", "vision", "image", "image_alt")


@transaction.atomic
def update_page(
    collective_id, *, actor, commitments=None, focus_areas=None, **fields
) -> Collective:
    """A leader (or a DEI administrator) edits the page: summary, mission, vision, image and
    its description, commitments (ordered texts) and areas of focus."""
    collective = Collective.objects.select_for_update().get(pk=collective_id)
    if not access.can_run(actor, collective):
        raise PermissionDenied
    unknown = set(fields) - set(PAGE_FIELDS)
    if unknown:
        raise ValueError(f"not page fields: {sorted(unknown)}")
    image = fields.get("image", collective.image)
    alt = fields.get("image_alt", collective.image_alt)
    if image and not (alt or "").strip():
        raise Refused(_("Describe the image for people who cannot see it."), field="image_alt")
    changed = [name for name, value in fields.items() if getattr(collective, name) != value]
    for name in changed:
        setattr(collective, name, fields[name])
    if commitments is not None:
        texts = [text.strip() for text in commitments if text.strip()]
        if texts != [c.text for c in collective.commitments.all()]:
            collective.commitments.all().delete()
            Commitment.objects.bulk_create(
                Commitment(collective=collective, order=index, text=text)
                for index, text in enumerate(texts)
            )
            changed.append("commitments")
    if focus_areas is not None:
        before = set(collective.focus_areas.values_list("pk", flat=True))
        if before != {area.pk for area in focus_areas}:
            collective.focus_areas.set(focus_areas)
            changed.append("focus_areas")
    if changed:
        # Saved even when only commitments changed: bulk_create sends no signal, and the save
        # is what gives visitors' cached copy of the page a new version (page_cache).
        fields_saved = [name for name in changed if name in PAGE_FIELDS]
        collective.save(update_fields=[*fields_saved, "updated_at"])
        audit(actor=actor, verb="collective.page_updated", obj=collective, fields=changed)
    return collective
