"""How many members and allies a collective has, as pages and the API may show it.

Never counted live: the counts are those of the latest release (the topic
`collectives.members`, cut and protected by belong.insights; each count perturbed, a small one
hidden as "<11", members and allies never summed). `insights` sits above `collectives`, so it
hands the counts over through `register` in its AppConfig.ready; until the first release (or for
a collective younger than the latest release) nothing is published."""

from dataclasses import dataclass

from django.conf import settings

_sources = []


def register(source) -> None:
    """`source()` -> None before the first release, or (as_of, max_noise, {collective pk:
    (members cell, allies cell)}) where a cell has value, threshold, hidden, withheld, shown."""
    _sources[:] = [source]


@dataclass(frozen=True)
class NotPublished:
    """A count no release holds yet."""

    threshold: int
    value: None = None
    hidden: bool = True
    withheld: bool = True
    shown: str = "—"

    def __str__(self):
        return self.shown


def with_counts(collectives):
    """The queryset as it is: kept so that callers read the same; no raw count is taken."""
    return collectives


def publish(collectives):
    """Set `member_count` and `ally_count` (cells: print their `.shown`) and `counts_as_of`
    (the release's date, or None) on each collective. Returns the collectives, as a list."""
    collectives = list(collectives)
    found = _sources[0]() if _sources else None
    missing = NotPublished(settings.DISCLOSURE_THRESHOLD)
    as_of, max_noise, cells = found if found is not None else (None, 0, {})
    for collective in collectives:
        members, allies = cells.get(collective.pk, (missing, missing))
        collective.member_count, collective.ally_count = members, allies
        collective.counts_as_of = as_of
        collective.counts_max_noise = max_noise
    return collectives
