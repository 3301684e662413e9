"""Evaluation results as their readers see them: read only from what was published.

A session's results are its `PublishedEvaluation`, frozen once when its evaluation window closed
(belong.training.actions.evaluations.publish_evaluation), and only if at least the minimum number
of people answered; before that, and for a session below the minimum, no figure at all (not
even how many have answered so far). Nothing here reads the answers themselves, so no view
grows answer by answer and two views can never be subtracted to find one answer.

A course's results add up only sessions whose own results were published (and, row by row, only
the rows each session shows), so they change only when a session is published, and then by
exactly that session's published figures: subtracting two views of the course never gives more
than one session's published results, never anything below the threshold. Comments carry no
date and come in an order that depends only on their text. A constant number of queries,
whatever the number of rows.
"""

import enum
import itertools
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from belong.events.models import Event
from belong.training.access import can_read_every_evaluation
from belong.training.actions.evaluations import RATINGS, closes_at, min_responses, shuffled
from belong.training.models import PublishedEvaluation


class State(enum.StrEnum):
    OPEN = "open"  # attendees may answer (or the session has not ended yet)
    CLOSED = "closed"  # the window has closed; the results are about to be published
    PUBLISHED = "published"  # published, with results
    NOT_PUBLISHED = "not_published"  # closed with fewer answers than the minimum: never shown
    CANCELLED = "cancelled"  # a cancelled session has no evaluation


@dataclass
class Row:
    label: str
    shown: bool = False
    count: int | None = None
    distribution: list[int] | None = None

    @property
    def mean(self) -> float | None:
        if not self.shown or not self.count:
            return None
        return sum(rating * n for rating, n in zip(RATINGS, self.distribution, strict=True)) / (
            self.count
        )


@dataclass
class Summary:
    threshold: int
    responses: int
    overall: Row
    objectives: list[Row] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    shown: bool = True


@dataclass
class SessionResults:
    state: State
    threshold: int
    closes_at: object = None  # a datetime, or None for a cancelled session
    published_at: object = None
    summary: Summary | None = None


@dataclass
class CourseResults:
    threshold: int
    summary: Summary | None
    included: list = field(default_factory=list)  # the sessions added up (events, `.responses`)
    not_published: int = 0  # sessions closed below the minimum: never part of anything
    pending: int = 0  # sessions whose evaluation is open or not yet published


def _stored_row(label, data) -> Row:
    if not data.get("shown"):
        return Row(label=label)
    return Row(
        label=label, shown=True, count=data["count"], distribution=list(data["distribution"])
    )


def session_results(event, *, overall_label, now=None) -> SessionResults:
    """What may be read of the evaluation of `event` now: its state and, once published with
    enough answers, the frozen summary."""
    threshold = min_responses()
    if event.status == Event.Status.CANCELLED:
        return SessionResults(state=State.CANCELLED, threshold=threshold)
    published = PublishedEvaluation.objects.filter(event=event).first()
    if published is None:
        now = now or timezone.now()
        state = State.OPEN if now < closes_at(event) else State.CLOSED
        return SessionResults(state=state, threshold=threshold, closes_at=closes_at(event))
    results = SessionResults(
        state=State.PUBLISHED if published.shown else State.NOT_PUBLISHED,
        threshold=published.threshold,
        closes_at=closes_at(event),
        published_at=published.published_at,
    )
    if published.shown:
        stored = published.results
        results.summary = Summary(
            threshold=published.threshold,
            responses=published.responses,
            overall=_stored_row(overall_label, stored.get("overall", {})),
            objectives=[_stored_row(row["label"], row) for row in stored.get("objectives", [])],
            comments=list(stored.get("comments", [])),
        )
    return results


def course_results(course, *, viewer, overall_label) -> CourseResults:
    """The results of `course` from its sessions' published results, for `viewer` (who may
    open a session's own results: `.can_open` on each included session). Each session that was
    published with results is added whole, each of its rows only if that row is shown on the
    session's own results; sessions whose evaluation is open or not yet published add nothing
    and are only counted."""
    facilitated = Event.facilitators.through.objects.filter(event=OuterRef("pk"), person=viewer.pk)
    sessions = list(
        Event.objects.filter(course=course)
        .annotate(facilitated=Exists(facilitated))
        .order_by("start", "pk")
    )
    sees_every_session = can_read_every_evaluation(viewer)
    threshold = min_responses()
    sessions = [session for session in sessions if session.status != Event.Status.CANCELLED]
    published = {
        item.event_id: item
        for item in PublishedEvaluation.objects.filter(event__in=[s.pk for s in sessions])
    }
    now = timezone.now()
    included, not_published, pending = [], 0, 0
    for session in sessions:
        item = published.get(session.pk)
        if item is None:
            pending += session.end <= now  # ended; its results are not published yet
        elif item.shown:
            session.responses = item.responses
            session.published = item
            session.can_open = sees_every_session or session.facilitated
            included.append(session)
        else:
            not_published += 1
    results = CourseResults(
        threshold=threshold,
        summary=None,
        included=included,
        not_published=not_published,
        pending=pending,
    )
    if not included:
        return results

    totals: dict[object, list[int]] = {}
    for session in included:
        stored = session.published.results
        rows = [("overall", stored.get("overall", {}))] + [
            (row["objective"], row) for row in stored.get("objectives", [])
        ]
        for key, row in rows:
            if row.get("shown"):
                into = totals.setdefault(key, [0] * len(RATINGS))
                for index, n in enumerate(row["distribution"]):
                    into[index] += n

    def row(label, key):
        distribution = totals.get(key)
        if distribution is None:
            return Row(label=label)
        return Row(label=label, shown=True, count=sum(distribution), distribution=distribution)

    comments = itertools.chain.from_iterable(
        session.published.results.get("comments", []) for session in included
    )
    results.summary = Summary(
        threshold=threshold,
        responses=sum(session.responses for session in included),
        overall=row(overall_label, "overall"),
        objectives=[row(objective.text, objective.pk) for objective in course.objectives.all()],
        comments=shuffled(comments, salt=f"course:{course.pk}"),
    )
    return results
