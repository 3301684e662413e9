"""The dashboards' published figures, kept in the cache until the data under them changes.

Reading self-identification means opening every consenting person's sealed answers (about
35 us each): at 50,000 people a dashboard takes over a second to compute. So a dashboard's
figures are computed once and served from the cache under a version that every change to the
data they count moves on (a saved or deleted person, answer, consent, registration, membership,
certificate, enrolment, match, meeting, check-in, recommendation, event or unit), and at most
INSIGHTS_CACHE_SECONDS old in any case (a change made by a bulk update sends no signal).
A revoked consent therefore leaves the very next figure. 0 seconds turns the cache off.

No longer used by any page (every figure about people is served from a stored release,
belong.insights.cutting); kept, unconnected, only for bench/bench_dashboards.py's "served from
the cache" reference figure. `watch()` is not called at start-up: it would move a version on
every save that nothing reads."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

VERSION_KEY = "insights:version"


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump(update_fields=None, **_ignored) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in changes no figure

    # Now, and again once the change is committed: figures computed in between (from data
    # without the change) are then left behind too.
    _move_on()
    transaction.on_commit(_move_on)


def _move_on():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (evicted, or a new cache): any new value will do
        cache.set(VERSION_KEY, 2, timeout=None)


def figures(board, *, actor):
    """The dashboard's figures, from the cache when nothing changed since they were computed."""
    seconds = settings.INSIGHTS_CACHE_SECONDS
    if seconds <= 0:
        return board.build(actor=actor)
    key = f"insights:{board.slug}:{version()}:{translation.get_language()}"
    built = cache.get(key)
    if built is None:
        built = board.build(actor=actor)
        cache.set(key, built, timeout=seconds)
    return built


def watch():
    """Connect `bump` to every model whose rows a dashboard counts (called once, at start)."""
    from belong.collectives.models import Membership, MembershipCount, Recommendation
    from belong.events.models import Event, Registration
    from belong.mentorship.models import CheckIn, Cycle, Enrollment, Match, Meeting
    from belong.people.models import Consent, OrgUnit, Person, SelfIdentification
    from belong.training.models import Certificate

    for model in (
        Person,
        OrgUnit,
        SelfIdentification,
        Consent,
        Event,
        Registration,
        Certificate,
        Membership,
        MembershipCount,
        Recommendation,
        Cycle,
        Enrollment,
        Match,
        Meeting,
        CheckIn,
    ):
        post_save.connect(bump, sender=model, dispatch_uid=f"insights-{model._meta.label}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"insights-{model._meta.label}-del")
