"""What a release counts and how its figures are shown, one module per dashboard: each gives
`sources(actor=...)` (its topics as of now, for belong.insights.cutting) and `build(release)`
(its figures from a stored release, belong.insights.serving)."""

from belong.insights.topics import collectives, mentorship, representation, training

BOARDS = {
    "representation": representation,
    "training": training,
    "collectives": collectives,
    "mentorship": mentorship,
}


def all_sources(*, actor=None) -> list:
    """Every topic a release publishes, in a fixed order."""
    return [source for module in BOARDS.values() for source in module.sources(actor=actor)]


def figures(slug, release) -> list:
    """The figures of dashboard `slug` from `release` ([] before the first release)."""
    return BOARDS[slug].build(release) if release is not None else []
