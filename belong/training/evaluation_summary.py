"""Evaluation results as aggregates, and only above the threshold.

Nothing here returns a single answer's ratings: a summary carries counts, means and
distributions, and the comments without any date, in the order of their random keys. Every row
(the session overall, each learning objective) is suppressed on its own when it has fewer than
the minimum number of ratings, so an objective added after most people had answered cannot show
the few answers given since. A course's summary adds up only the sessions that are shown on their
own (each with at least the minimum): subtracting one session from the course total can then never
reveal a session below the threshold. A constant number of queries, whatever the number of rows.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from belong.training.actions.evaluations import RATINGS, min_responses
from belong.training.models import Evaluation, ObjectiveRating


@dataclass
class Row:
    label: str
    count: int
    distribution: list[int] = field(default_factory=lambda: [0] * len(RATINGS))
    mean: float | None = None
    shown: bool = False


@dataclass
class Summary:
    threshold: int
    responses: int
    shown: bool
    overall: Row | None = None
    objectives: list[Row] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _row(label, counts: dict[int, int], threshold) -> Row:
    total = sum(counts.values())
    row = Row(label=label, count=total)
    if total >= threshold:
        row.shown = True
        row.distribution = [counts.get(rating, 0) for rating in RATINGS]
        row.mean = sum(rating * n for rating, n in counts.items()) / total
    return row


def summarize(event_ids, objectives, *, overall_label) -> Summary:
    """The summary of the evaluations of the sessions `event_ids`, rating `objectives` (the
    course's learning objectives, in order). Below the threshold: the number of responses only."""
    threshold = min_responses()
    event_ids = list(event_ids)
    evaluations = Evaluation.objects.filter(event_id__in=event_ids)
    overall = {
        item["session_rating"]: item["n"]
        for item in evaluations.values("session_rating").annotate(n=Count("pk")).order_by()
    }
    responses = sum(overall.values())
    if responses < threshold:
        return Summary(threshold=threshold, responses=responses, shown=False)

    per_objective: dict[int, dict[int, int]] = {}
    ratings = (
        ObjectiveRating.objects.filter(evaluation__event_id__in=event_ids)
        .values("objective_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in ratings:
        per_objective.setdefault(item["objective_id"], {})[item["rating"]] = item["n"]
    comments = list(
        evaluations.exclude(comment="").order_by("pk").values_list("comment", flat=True)
    )
    return Summary(
        threshold=threshold,
        responses=responses,
        shown=True,
        overall=_row(overall_label, overall, threshold),
        objectives=[
            _row(objective.text, per_objective.get(objective.pk, {}), threshold)
            for objective in objectives
        ],
        comments=comments,
    )
