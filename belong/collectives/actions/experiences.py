"""Sharing an experience with a collective's leaders, and its moderation.

Anonymity, in the data. An anonymous experience's row holds the collective, the text, the
consent to publish, its state and the day it was shared: no person, no address, no user agent,
no time finer than the day. Sharing writes no audit entry, no log line, nothing in the session,
and queues no email at that moment (an email's time would tell when it was shared: leaders are
told the next day, see `tell_leaders`). What the person writes is kept as written, so the form
tells them to leave out what would identify them.

The rate limit counts shares per person, named and anonymous alike, in the cache (never in the
database): under a digest of an HMAC of the person's id (keyed with the SECRET_KEY, so a copy of
the cache cannot be matched to people by hashing their ids), for the current hour only.

Moderation (read, hide, publish as an anonymous story, unpublish) is for the collective's current
leaders only (`access.can_read_experiences`): the form tells the writer that the leaders read it. Publishing needs the consent the writer gave
when sharing; the story is shown without a name, with its month and year of publication.
"""

import datetime
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from belong.collectives import access
from belong.collectives.actions.memberships import Refused
from belong.collectives.models import Collective, Experience
from belong.lib import ratelimit
from belong.notifications import outbox
from belong.notifications.models import OutboundMessage
from belong.people.access import is_signed_in
from belong.people.actions import audit
from belong.people.models import Person

MAX_TEXT_LENGTH = 5000
RATE_SCOPE = "experience-share"
RATE_WINDOW = 60 * 60  # seconds: the limit is per hour
# How far back the daily job looks for days whose leaders were not told yet (a missed run).
TELL_LOOKBACK_DAYS = 7


def shares_per_hour() -> int:
    return settings.EXPERIENCE_SHARES_PER_HOUR


def _rate_key(person) -> str:
    """Who the rate limit counts: a keyed digest of the person's id, the same for a named and
    an anonymous share. belong.lib.ratelimit hashes it again into the cache key."""
    return salted_hmac(RATE_SCOPE, str(person.pk)).hexdigest()


def _text(value, *, field, empty_message) -> str:
    text = (value or "").strip()
    if not text:
        raise Refused(empty_message, field=field, code="empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise Refused(
            _("Keep it to %(limit)d characters or fewer (it has %(length)d).")
            % {"limit": MAX_TEXT_LENGTH, "length": len(text)},
            field=field,
            code="too_long",
        )
    return text


@transaction.atomic
def share(collective_id, *, person, text, anonymous, consent_to_publish, today=None) -> Experience:
    """Share an experience with the collective's leaders: anonymously (the row keeps no
    person) or with one's name. Anyone signed in may; at most EXPERIENCE_SHARES_PER_HOUR an
    hour (429 beyond it, nothing stored)."""
    if not is_signed_in(person):
        raise Refused(_("Sign in to share an experience."), status=401, code="sign_in")
    collective = Collective.objects.filter(pk=collective_id, is_active=True).first()
    if collective is None:
        raise Refused(
            _("This collective does not exist or is no longer active."),
            status=404,
            code="unknown",
        )
    text = _text(text, field="text", empty_message=_("Write your experience: the text is empty."))
    if not ratelimit.allow(
        RATE_SCOPE, _rate_key(person), limit=shares_per_hour(), window=RATE_WINDOW
    ):
        minutes = math.ceil(ratelimit.retry_after(RATE_WINDOW) / 60)
        raise Refused(
            ngettext(
                "You have shared %(limit)d experiences within the hour, the most one person "
                "may. Please send this one again in %(minutes)d minute: what you wrote is kept "
                "below.",
                "You have shared %(limit)d experiences within the hour, the most one person "
                "may. Please send this one again in %(minutes)d minutes: what you wrote is kept "
                "below.",
                minutes,
            )
            % {"limit": shares_per_hour(), "minutes": minutes},
            field="__all__",
            status=429,
            code="rate_limited",
        )
    return Experience.objects.create(
        collective=collective,
        text=text,
        person=None if anonymous else person,
        consent_to_publish=bool(consent_to_publish),
        shared_on=today or timezone.localdate(),
    )


def _moderate(experience_id, actor) -> Experience:
    """The experience, locked, once `actor` may moderate it."""
    experience = (
        Experience.objects.select_for_update(of=("self",))
        .select_related("collective")
        .filter(pk=experience_id)
        .first()
    )
    if experience is None:
        raise Experience.DoesNotExist
    if not access.can_read_experiences(actor, experience.collective):
        raise PermissionDenied
    return experience


@transaction.atomic
def mark_read(experience_id, *, actor) -> Experience:
    """New (or hidden) to read. A published story stays published: unpublish it first."""
    experience = _moderate(experience_id, actor)
    State = Experience.State
    if experience.state == State.PUBLISHED:
        raise Refused(
            _("It is published as a story: unpublish it first."),
            field="state",
            status=409,
            code="published",
        )
    if experience.state != State.READ:
        experience.state = State.READ
        experience.save(update_fields=["state"])
    return experience


@transaction.atomic
def hide(experience_id, *, actor) -> Experience:
    """Set it aside (from any state); a published story leaves the page."""
    experience = _moderate(experience_id, actor)
    if experience.state == Experience.State.HIDDEN:
        return experience
    was_published = experience.state == Experience.State.PUBLISHED
    experience.state = Experience.State.HIDDEN
    experience.published_on = None
    experience.save(update_fields=["state", "published_on"])
    audit(
        actor=actor,
        verb="collective.experience_hidden",
        obj=experience,
        collective=experience.collective_id,
        was_published=was_published,
    )
    return experience


@transaction.atomic
def publish(experience_id, *, actor, story_text=None, today=None) -> Experience:
    """Publish it on the collective's page as an anonymous story, only if the writer agreed
    when sharing. `story_text` (the experience's text when empty) is what the page shows:
    leaders may edit out details that identify. Publishing a published story again changes its
    text and keeps its date."""
    experience = _moderate(experience_id, actor)
    if not experience.consent_to_publish:
        raise Refused(
            _("The writer did not agree to publication, so it cannot be published."),
            field="story_text",
            status=409,
            code="no_consent",
        )
    story = story_text if (story_text or "").strip() else experience.text
    story = _text(story, field="story_text", empty_message=_("Write the story to publish."))
    fields = ["story_text"]
    experience.story_text = story
    if experience.state != Experience.State.PUBLISHED:
        experience.state = Experience.State.PUBLISHED
        experience.published_on = today or timezone.localdate()
        fields += ["state", "published_on"]
    experience.save(update_fields=fields)
    audit(
        actor=actor,
        verb="collective.experience_published",
        obj=experience,
        collective=experience.collective_id,
    )
    return experience


@transaction.atomic
def unpublish(experience_id, *, actor) -> Experience:
    """Take a story off the page; it goes back to "read" (its story text is kept for a later
    publication). Unpublishing what is not published changes nothing."""
    experience = _moderate(experience_id, actor)
    if experience.state != Experience.State.PUBLISHED:
        return experience
    experience.state = Experience.State.READ
    experience.published_on = None
    experience.save(update_fields=["state", "published_on"])
    audit(
        actor=actor,
        verb="collective.experience_unpublished",
        obj=experience,
        collective=experience.collective_id,
    )
    return experience


def _tell_key(collective_id, day, person_id) -> str:
    return f"collectives:experiences-shared:{collective_id}:{day.isoformat()}:{person_id}"


@transaction.atomic
def tell_leaders(today=None) -> int:
    """The daily job (runperiodic): tell each current leader, once for each earlier day, how
    many experiences shared with their collective that day are still unread. It never runs on
    the day of sharing, so no email's time tells when an experience was shared; the email holds
    neither text nor writer. Idempotent by outbox key. Returns the number of emails queued."""
    today = today or timezone.localdate()
    days = list(
        Experience.objects.filter(
            state=Experience.State.NEW,
            shared_on__lt=today,
            shared_on__gte=today - datetime.timedelta(days=TELL_LOOKBACK_DAYS),
            collective__is_active=True,
        )
        .values("collective_id", "shared_on")
        .annotate(count=Count("pk"))
        .order_by("shared_on", "collective_id")
    )
    if not days:
        return 0
    # collective id -> {person id: (person, collective)}
    leaders: dict[int, dict[int, tuple[Person, Collective]]] = {}
    roles = (
        access.current_leader_roles(today)
        .filter(collective_id__in={day["collective_id"] for day in days}, person__is_active=True)
        .select_related("person", "collective")
        .order_by("pk")
    )
    for role in roles:
        leaders.setdefault(role.collective_id, {})[role.person_id] = (role.person, role.collective)
    wanted = [
        (day, person, collective)
        for day in days
        for person, collective in leaders.get(day["collective_id"], {}).values()
    ]
    keys = {_tell_key(day["collective_id"], day["shared_on"], p.pk) for day, p, _c in wanted}
    sent = set(OutboundMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    queued = 0
    for day, person, collective in wanted:
        key = _tell_key(collective.pk, day["shared_on"], person.pk)
        if key in sent:
            continue
        # Not `private`: it tells its recipient only what the collective's page shows to all
        # (that they lead it), and a count of a day's experiences, with no text and no writer.
        outbox.queue(
            key=key,
            to_email=person.email,
            person=person,
            template="collectives/experiences/email/shared",
            context={
                "person": person,
                "collective": collective,
                "count": day["count"],
                "shared_on": day["shared_on"],
                "list_url": settings.SITE_URL
                + reverse("collectives:experiences", args=[collective.slug]),
            },
        )
        queued += 1
    return queued
