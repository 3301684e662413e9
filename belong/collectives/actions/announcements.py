"""Announcements: a collective's leaders write one; it stays on the collective's page (for
everyone, or for its members and allies only) and is emailed through the outbox to each member
and ally who receives announcements by email (Person.email_announcements).

The mail would tell whoever reads the outbox that its recipient belongs to the collective, so
every message is private (outbox.queue(private=True): its key is a digest, its content is
dropped once sent), one per person, keyed by announcement and person (a retry sends nothing
twice). Someone who left has no membership any more, so gets nothing.

How many it went to is neither kept nor shown, to anyone (DESIGN decision 8: no figure about
people raw on a staff screen): a DEI administrator who runs a collective without seeing its
members, or a leader watching the number move, would learn of a join, a leave or a changed
email preference that the member did not let them see, and a collective published as "<11"
would get its exact size. The pages say that it was emailed, not to how many."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.collectives import access
from belong.collectives.actions.events import focus_areas_from
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Announcement, Collective, Membership
from belong.notifications import outbox
from belong.people.actions import audit

MAX_TITLE = Announcement._meta.get_field("title").max_length
MAX_BODY = 20000
TEMPLATE = "collectives/email/announcement"


def page_url(announcement) -> str:
    return settings.SITE_URL + reverse(
        "collectives:announcement", args=[announcement.collective.slug, announcement.pk]
    )


def recipients(collective):
    """The memberships whose people get the collective's announcements by email: every member
    and ally, active, who has not turned announcements off."""
    return (
        Membership.objects.filter(
            collective=collective,
            person__is_active=True,
            person__email_announcements=True,
        )
        .select_related("person")
        .order_by("person_id")
    )


def _text(value, *, field, limit, missing):
    value = (value or "").strip()
    if not value:
        raise Refused(missing, field=field)
    if len(value) > limit:
        raise Refused(
            _("Keep it to %(limit)d characters or fewer (it has %(count)d).")
            % {"limit": limit, "count": len(value)},
            field=field,
        )
    return value


@transaction.atomic
def post_announcement(
    collective_id, *, actor, title, body, audience, focus_areas=(), now=None
) -> Announcement:
    """Publish an announcement on the collective's page and email it to its members and allies
    who want announcements by email. Bad input raises Refused naming the field (nothing saved,
    nothing sent); someone who does not run the collective, PermissionDenied."""
    collective = Collective.objects.filter(pk=collective_id, is_active=True).first()
    if collective is None:
        raise Refused(_("This collective does not exist."), status=404, code="missing")
    if not access.can_run(actor, collective):
        raise PermissionDenied(_("Only the collective's leaders may post its announcements."))
    title = _text(
        title, field="title", limit=MAX_TITLE, missing=_("Give the announcement a title.")
    )
    body = _text(body, field="body", limit=MAX_BODY, missing=_("Write the announcement."))
    if audience not in Announcement.Audience.values:
        raise Refused(
            _("Choose who may read it: “public” (everyone) or “members” (members and allies)."),
            field="audience",
        )
    areas = focus_areas_from(focus_areas)
    announcement = Announcement.objects.create(
        collective=collective,
        title=title,
        body=body,
        audience=audience,
        author=actor,
        published_at=now or timezone.now(),
    )
    announcement.focus_areas.set(areas)
    url = page_url(announcement)
    profile_url = settings.SITE_URL + reverse("people:profile")
    for membership in recipients(collective):
        person = membership.person
        outbox.queue(
            key=f"announcement:{announcement.pk}:{person.pk}",
            to_email=person.email,
            person=person,
            template=TEMPLATE,
            context={
                "person": person,
                "collective": collective,
                "announcement": announcement,
                "announcement_url": url,
                "profile_url": profile_url,
            },
            private=True,
        )
    audit(actor=actor, verb="announcement.posted", obj=announcement)
    return announcement
