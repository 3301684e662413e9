"""Cutting a release: every topic of every dashboard counted as of now, published through the
release engine (belong.lib.releases: perturbation by the cell key method, groups that move
only when enough of their units changed, one protection check per topic) and stored.

Three ways to cut one, all through `cut_release`:
- the schedule: `runperiodic`'s `releases` job cuts the release of the current period once
  (monthly on or after RELEASE_DAY_OF_MONTH, or every RELEASE_SCHEDULE_DAYS days); a unique
  (scheduled, period) row makes two schedulers cut one;
- a DEI administrator's "cut a release now" (`cut_by_hand`), at most once in
  RELEASE_MANUAL_MIN_DAYS days, audited;
- an operator's `manage.py publish_release`.

Releases are cut one at a time (an advisory lock on PostgreSQL; SQLite's write lock, taken at
the start of the transaction, elsewhere): each starts from the state the previous one left.
A revoked consent to aggregate reporting, erased answers or an erased account since the
previous release make the person's units leave (`departed`): nothing of them is in the new
release (their groups are refreshed, or withheld until enough changed).

The state a topic's cut returns is kept (sealed) with the topic and handed to its next cut: the
engine keeps there, besides each group's digests and figures, what every release so far told a
reader of each figure and the counts it ever protected, and audits the next release jointly
with them (belong.lib.releases, "Across releases"). Only the latest state is kept; a state no
identity key opens makes the topic start afresh, without that joint audit."""

import datetime
import json
import logging
import time
import zlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.insights import access, units
from belong.insights.dashboards import all_sources
from belong.insights.models import Release, ReleaseTopic
from belong.lib import locks
from belong.lib.refusals import Refusal
from belong.people.actions import audit
from belong.people.models import AuditEvent, Consent
from belong.people.sealed import identity_keys

LOCK = "insights:releases"
log = logging.getLogger(__name__)


class Refused(Refusal):
    """A release that may not be cut now; `field` names what it is about."""

    field = "release"
    status = 409


# --- the engine's settings and state ---------------------------------------------------------


def engine_settings() -> dict:
    return {
        "threshold": settings.DISCLOSURE_THRESHOLD,
        "max_noise": settings.RELEASE_MAX_NOISE,
        "min_changes": settings.RELEASE_MIN_CHANGES,
        "protection": settings.RELEASE_PROTECTION,
    }


def _fernet():
    return MultiFernet([Fernet(key) for key in identity_keys()])


# Every number of a state, in the widest form it could take (wider than any count, key sum,
# salt or release number): the length a state is padded to is worked out from it.
WIDEST = 10**19


def _is_figure(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= {"value", "hidden"}


def _widening(value) -> int:
    """How many bytes longer `_dumps(value)` would be with every number, flag and figure in its
    widest form: what depends on people's answers (counts, key sums, salts, perturbed values,
    hidden or not) as WIDEST, a figure as {"hidden": WIDEST, "value": WIDEST}; what does not
    (names of groups, tables and columns, keys, fixed-width digests) as it is. Worked out
    without writing the widest state out: the state of a topic with a million units is tens of
    megabytes of digests (strings: they add nothing)."""
    if value is None or isinstance(value, bool | int | float):
        return WIDEST_LENGTH - len(_dumps(value))
    if _is_figure(value):
        return WIDEST_FIGURE_LENGTH - len(_dumps(value))
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, list | tuple):
        items = value
    else:
        return 0
    if all(type(item) is str for item in items):
        return 0
    return sum(_widening(item) for item in items)


def _dumps(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


WIDEST_LENGTH = len(_dumps(WIDEST))
WIDEST_FIGURE_LENGTH = len(_dumps({"hidden": WIDEST, "value": WIDEST}))


def seal(state) -> str:
    """The engine's state, sealed with the identity keys. Its length must tell nothing of what
    it holds (the state keeps exact tallies: one answer more of one kind must not lengthen it),
    so the JSON is padded with spaces to the length of the same state with every number and
    figure at its widest (uncompressed: compression would make the length follow the
    content)."""
    plain = _dumps(state)
    size = len(plain) + _widening(state)
    return _fernet().encrypt(plain + b" " * (size - len(plain))).decode("ascii")


def unseal(token: str):
    """The state, or None when there is none or no identity key opens it any more (then every
    group of the topic is published afresh, and the log says so). States sealed before padding
    were compressed; they still open."""
    if not token:
        return None
    try:
        plain = _fernet().decrypt(token.encode("ascii"))
    except InvalidToken:
        log.warning("a release state opens with no identity key: its topic starts afresh")
        return None
    if not plain.startswith(b"{"):
        plain = zlib.decompress(plain)
    return json.loads(plain)


def reseal_states() -> int:
    """Seal every kept state again with the first identity key, padded (after adding a key,
    before removing the old one; `identity_keys rotate` calls it). A state no key opens is left
    as it is (its topic starts afresh at the next release)."""
    count = 0
    for pk, token in ReleaseTopic.objects.exclude(state="").values_list("pk", "state"):
        state = unseal(token)
        if state is None:
            continue
        ReleaseTopic.objects.filter(pk=pk).update(state=seal(state))
        count += 1
    return count


# --- who must leave --------------------------------------------------------------------------


def departed_since(moment) -> tuple[set, set]:
    """(revoked, erased): ids of the people whose consent to aggregate reporting was revoked or
    whose answers were erased since `moment`, and of the people whose account was erased."""
    if moment is None:
        return set(), set()
    revoked = set(
        Consent.objects.filter(
            purpose=Consent.Purpose.REPORTING, revoked_at__gt=moment
        ).values_list("person_id", flat=True)
    )
    events = AuditEvent.objects.filter(
        Q(verb="identity.erased") | Q(verb="personal_data.erased"),
        at__gt=moment,
        object_type="people.person",
    ).values_list("verb", "object_id")
    erased = set()
    for verb, object_id in events:
        if object_id.isdigit():
            (erased if verb == "personal_data.erased" else revoked).add(int(object_id))
    return revoked, erased


# --- cutting ---------------------------------------------------------------------------------


def _engine():
    from belong.lib import releases

    return releases


def _published(engine, source, previous, *, secret, config, revoked, erased):
    leaving = erased | (revoked if source.consent_based else set())
    return engine.cut(
        source.topic,
        [
            engine.TableSpec(
                key=t.key,
                columns=tuple(t.columns),
                row_totals=t.row_totals,
                column_totals=t.column_totals,
                grand_total=t.grand_total,
            )
            for t in source.tables
        ],
        list(source.groups),
        [
            engine.Unit(token=u.token, record_key=u.record_key, group=u.group, cells=dict(u.cells))
            for u in source.units
        ],
        previous,
        settings=config,
        secret=secret,
        departed=source.departed(leaving),
        types=source.types,
    )


def cut_release(*, kind, actor=None, period="", today=None) -> Release | None:
    """Cut the next release and store it; None when the scheduled release of `period` exists
    already (cut by another scheduler)."""
    engine = _engine()
    with locks.held(LOCK), transaction.atomic():
        if (
            kind == Release.Kind.SCHEDULED
            and Release.objects.filter(kind=kind, period=period).exists()
        ):
            return None
        if kind == Release.Kind.MANUAL:
            refuse_manual_now()
        previous = Release.objects.order_by("-number").first()
        kept = {}
        if previous is not None:
            kept = {row.topic: row for row in ReleaseTopic.objects.filter(release=previous)}
        revoked, erased = departed_since(previous.cut_at if previous else None)
        chosen = engine_settings()
        config = engine.Settings(**chosen)
        secret = units.secret()
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    number=(previous.number + 1) if previous else 1,
                    kind=kind,
                    period=period,
                    as_of=today or timezone.localdate(),
                    cut_at=timezone.now(),
                    cut_by=actor if actor is not None and actor.is_authenticated else None,
                    engine_settings=chosen,
                )
        except IntegrityError:
            if kind == Release.Kind.SCHEDULED:
                return None  # another scheduler cut it between our look and our write
            raise
        for source in all_sources(actor=actor):
            started = time.perf_counter()
            before = kept.get(source.topic)
            published, state = _published(
                engine,
                source,
                unseal(before.state) if before is not None else None,
                secret=secret,
                config=config,
                revoked=revoked,
                erased=erased,
            )
            meta = {
                **source.meta,
                "groups": list(source.groups),
                "threshold": chosen["threshold"],
                "tables": {
                    t.key: {
                        "row_totals": t.row_totals,
                        "column_totals": t.column_totals,
                        "grand_total": t.grand_total,
                    }
                    for t in source.tables
                },
                "as_of": _as_of(published, before, release.as_of),
            }
            ReleaseTopic.objects.create(
                release=release,
                topic=source.topic,
                published=published,
                meta=meta,
                state=seal(state),
                built_seconds=time.perf_counter() - started,
            )
        if previous is not None:
            # Only the latest state is needed: the earlier ones' digests go.
            ReleaseTopic.objects.filter(release__number__lt=release.number).exclude(
                state=""
            ).update(state="")
        audit(
            actor=actor,
            verb="insights.release_cut",
            obj=release,
            number=release.number,
            kind=kind,
            period=period,
        )
    return release


def _as_of(published, before, as_of) -> dict:
    """{the engine's release number of the topic: the date} of every number the rows of
    `published` date from (a carried row keeps an earlier release's number and date)."""
    known = dict((before.meta.get("as_of") or {}) if before is not None else {})
    if published.get("release") is not None:
        known[str(published["release"])] = as_of.isoformat()
    numbers = set()
    for table in (published.get("tables") or {}).values():
        for row in (table.get("rows") or {}).values():
            if row.get("as_of_release") is not None:
                numbers.add(str(row["as_of_release"]))
    return {n: day for n, day in known.items() if n in numbers}


# --- the schedule ----------------------------------------------------------------------------


def period_of(day: datetime.date) -> str:
    """The schedule's period `day` falls in: the latest month whose release day has come (or,
    every N days, the N-day span since 0001-01-01)."""
    every = settings.RELEASE_SCHEDULE_DAYS
    if every > 0:
        return f"every-{every}:{day.toordinal() // every}"
    first = day.replace(day=1)
    if day.day < max(1, min(settings.RELEASE_DAY_OF_MONTH, 28)):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return f"{first:%Y-%m}"


def cut_scheduled(*, today=None) -> Release | None:
    """The scheduled release of this period, unless it is cut already (then None)."""
    today = today or timezone.localdate()
    period = period_of(today)
    if Release.objects.filter(kind=Release.Kind.SCHEDULED, period=period).exists():
        return None
    return cut_release(kind=Release.Kind.SCHEDULED, period=period, today=today)


# --- by hand ---------------------------------------------------------------------------------


def next_manual_cut() -> datetime.datetime | None:
    """When a DEI administrator may cut a release again (None: now)."""
    last = (
        Release.objects.filter(kind=Release.Kind.MANUAL)
        .order_by("-cut_at")
        .values_list("cut_at", flat=True)
        .first()
    )
    if last is None:
        return None
    allowed = last + datetime.timedelta(days=settings.RELEASE_MANUAL_MIN_DAYS)
    return allowed if allowed > timezone.now() else None


def refuse_manual_now():
    allowed = next_manual_cut()
    if allowed is not None:
        raise Refused(
            _(
                "A release was cut by hand less than %(days)s days ago; the next one may be cut "
                "from %(when)s."
            )
            % {
                "days": settings.RELEASE_MANUAL_MIN_DAYS,
                "when": timezone.localtime(allowed).strftime("%Y-%m-%d %H:%M"),
            },
            status=429,
        )


def cut_by_hand(*, actor) -> Release:
    """A DEI administrator cuts a release now (at most once in RELEASE_MANUAL_MIN_DAYS days)."""
    if not access.can_cut_releases(actor):
        raise Refused(_("Only DEI administrators cut a release."), status=403)
    return cut_release(kind=Release.Kind.MANUAL, actor=actor)
