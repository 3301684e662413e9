"""Anonymous evaluations of sessions: inviting attendees and taking their answers.

Anonymity, in the data: an attendee's `EvaluationInvite` (tied to the registration) records only
that it was used; the `Evaluation` it produces has a random key, the day only, and nothing that
leads back to the person. The link's token is a bearer secret: only its SHA-256 is stored, so a
copy of the database does not hold working links (the raw token lives only in the email).

Results cannot be read answer by answer. A session's evaluation has a window: it opens when the
session ends and closes `EVALUATION_WINDOW_DAYS` later; invitations and answers outside it are
refused. When it closes, `publish_due_evaluations` (a periodic job) freezes the results once in a
`PublishedEvaluation`: the counts and the comments if at least `EVALUATION_MIN_RESPONSES` people
answered, nothing otherwise. Every reader (pages, the API) reads only that row, so no view of the
results ever changes while answers come in, and none changes after publication.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from belong.events.models import Event, Registration
from belong.lib.refusals import Refusal
from belong.notifications import outbox
from belong.training.models import (
    Course,
    Evaluation,
    EvaluationInvite,
    LearningObjective,
    ObjectiveRating,
    PublishedEvaluation,
)

RATINGS = range(1, 6)
MAX_COMMENT_LENGTH = 4000


class EvaluationRefused(Refusal):
    """An answer the rules do not take. `field` names what it is about (a form field name, or
    "token"), `status` the HTTP status that fits: 404 for a link that is not the person's, 409
    for one already used or a cancelled session, 400 for a rating out of range."""

    field = "token"
    status = 409


def token_digest(token: str) -> str:
    """What is stored of an invitation's token (64 hex characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


def min_responses() -> int:
    return getattr(settings, "EVALUATION_MIN_RESPONSES", 5)


def window() -> datetime.timedelta:
    """How long after a session its attendees may evaluate it (at least a day)."""
    return datetime.timedelta(days=max(1, getattr(settings, "EVALUATION_WINDOW_DAYS", 14)))


def closes_at(event) -> datetime.datetime:
    """When the evaluation of `event` closes and its results are published."""
    return event.end + window()


def is_open(event, now=None) -> bool:
    """Whether the attendees of `event` may answer now: after the session, before its window
    closes, and not after its results were published (a session moved later after its
    publication stays closed)."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED or not (event.end <= now < closes_at(event)):
        return False
    return not PublishedEvaluation.objects.filter(event=event).exists()


def objective_field(objective_id) -> str:
    """The form field (and error field) of one learning objective's rating."""
    return f"objective_{objective_id}"


@transaction.atomic
def invite_attendees(*, event, now=None):
    """Give each attendee of `event` who has none a one-time invitation and queue the email that
    carries its link. Running it again changes nothing (one invite per registration, one email
    per registration by its outbox key). Cancelled sessions, events that no course hosts and
    sessions whose evaluation is not open (not ended yet, or its window closed) get no
    invitations. Returns the number of invitations created."""
    event = Event.objects.select_for_update().filter(pk=event.pk).first()  # one run at a time
    if event is None or not is_open(event, now):
        return 0
    course = event.host
    if not isinstance(course, Course):
        return 0
    registrations = list(
        Registration.objects.filter(
            event=event,
            state=Registration.State.ATTENDED,
            evaluation_invite__isnull=True,
        )
        .select_related("person")
        .order_by("pk")
    )
    for registration in registrations:
        token = secrets.token_urlsafe(32)
        EvaluationInvite.objects.create(registration=registration, token=token_digest(token))
        person = registration.person
        outbox.queue(
            key=f"evaluation-request:{registration.pk}",
            to_email=person.email,
            person=person,
            template="training/email/evaluation_request",
            context={
                "person": person,
                "event": event,
                "course": course,
                "token": token,
                "min_responses": min_responses(),
                "closes_at": closes_at(event),
            },
        )
    return len(registrations)


def request_due_evaluations(now=None) -> int:
    """The periodic job: invite the attendees of every course session whose evaluation is open
    (ended, within its window, not cancelled) and who have no invitation yet. Idempotent.
    Returns the number of invitations created."""
    now = now or timezone.now()
    pending = Registration.objects.filter(
        event=OuterRef("pk"),
        state=Registration.State.ATTENDED,
        evaluation_invite__isnull=True,
    )
    events = (
        Event.objects.filter(
            host_type=ContentType.objects.get_for_model(Course),
            end__lte=now,
            end__gt=now - window(),
            published_evaluation__isnull=True,
        )
        .exclude(status=Event.Status.CANCELLED)
        .filter(Exists(pending))
        .order_by("end", "pk")
    )
    return sum(invite_attendees(event=event, now=now) for event in events)


def _rating(value, *, field, label):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number not in RATINGS or isinstance(value, bool):
        raise EvaluationRefused(
            _("%(label)s: choose a rating from 1 (not at all) to 5 (completely).")
            % {"label": label},
            field=field,
            status=400,
            code="invalid_rating",
        )
    return number


def refuse_closed(event):
    """The polite refusal of an answer after the evaluation's window closed."""
    closed = timezone.localtime(closes_at(event))
    return EvaluationRefused(
        _(
            "The evaluation of this session closed on %(day)s, and its results have been or "
            "are being published. Thank you for wanting to answer."
        )
        % {"day": date_format(closed, "DATE_FORMAT")},
        status=409,
        code="closed",
    )


@transaction.atomic
def submit_evaluation(*, person, token, session_rating, objective_ratings, comment="", now=None):
    """Take one anonymous answer for the invitation whose token is `token`.

    `objective_ratings` maps each learning objective of the course (its id) to a rating from 1
    to 5; every objective needs one. The invitation is locked first, so two submissions with one
    token give exactly one evaluation. Only while the session's evaluation is open: an answer
    after its window closed is refused, so published results never miss one that came in
    time and never gain one. Returns the new Evaluation."""
    invite = (
        EvaluationInvite.objects.select_for_update(of=("self",))
        .select_related("registration__event")
        .filter(token=token_digest(str(token)))
        .first()
    )
    if invite is None or invite.registration.person_id != person.pk:
        raise EvaluationRefused(
            _("This evaluation link is not yours or does not exist."), status=404, code="unknown"
        )
    if invite.used:
        raise EvaluationRefused(
            _("You have already answered; thank you."), status=409, code="already_answered"
        )
    event = invite.registration.event
    if event.status == Event.Status.CANCELLED:
        raise EvaluationRefused(
            _("This session was cancelled, so there is nothing to evaluate."),
            status=409,
            code="cancelled",
        )
    if invite.registration.state != Registration.State.ATTENDED:
        raise EvaluationRefused(
            _("Only people who attended the session can evaluate it."),
            status=409,
            code="not_attended",
        )
    # The event row is locked as publication locks it: an answer and the publication of the
    # same session's results happen one after the other, never both half-way.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not is_open(event, now):
        raise refuse_closed(event)

    session_rating = _rating(session_rating, field="session_rating", label=_("The session overall"))
    course_type = ContentType.objects.get_for_model(Course)
    objectives = (
        list(LearningObjective.objects.filter(course_id=event.host_id).order_by("order", "pk"))
        if event.host_type_id == course_type.pk and event.host_id is not None
        else []
    )
    given = {str(key): value for key, value in (objective_ratings or {}).items()}
    ratings = []
    for objective in objectives:
        field = objective_field(objective.pk)
        if str(objective.pk) not in given:
            raise EvaluationRefused(
                _("%(label)s: choose a rating from 1 (not at all) to 5 (completely).")
                % {"label": objective.text},
                field=field,
                status=400,
                code="missing_rating",
            )
        ratings.append(
            (objective, _rating(given.pop(str(objective.pk)), field=field, label=objective.text))
        )
    if given:
        raise EvaluationRefused(
            _("Rate only the learning objectives of this course."),
            field="objective_ratings",
            status=400,
            code="unknown_objective",
        )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise EvaluationRefused(
            _("Keep the comment to %(limit)d characters or fewer (it has %(length)d).")
            % {"limit": MAX_COMMENT_LENGTH, "length": len(comment)},
            field="comment",
            status=400,
            code="comment_too_long",
        )

    evaluation = Evaluation.objects.create(
        event=event,
        session_rating=session_rating,
        comment=comment,
        submitted_on=timezone.localdate(),
    )
    ObjectiveRating.objects.bulk_create(
        ObjectiveRating(evaluation=evaluation, objective=objective, rating=rating)
        for objective, rating in ratings
    )
    invite.used = True
    invite.save(update_fields=["used"])
    return evaluation


# --- publication ---------------------------------------------------------------------------------


def shuffled(comments, *, salt):
    """`comments` in an order that depends only on their text and `salt`: never on when they
    were given (nor on their random keys, which a database copy would show)."""

    def key(comment):
        return hashlib.sha256(f"{salt}\x00{comment}".encode()).hexdigest(), comment

    return sorted(comments, key=key)


def _row(counts: dict[int, int], threshold) -> dict:
    total = sum(counts.values())
    if total < threshold:
        return {"shown": False}
    return {
        "shown": True,
        "count": total,
        "distribution": [counts.get(rating, 0) for rating in RATINGS],
    }


def freeze(event, threshold) -> tuple[int, dict]:
    """The results of `event`'s answers as they will be stored: (responses, results). Each row
    (each learning objective, the session overall) is hidden on its own when it has fewer than
    `threshold` ratings, so an objective added after most people had answered cannot show the
    few answers given since."""
    evaluations = Evaluation.objects.filter(event=event)
    overall = {
        item["session_rating"]: item["n"]
        for item in evaluations.values("session_rating").annotate(n=Count("pk")).order_by()
    }
    responses = sum(overall.values())
    if responses < threshold:
        return responses, {}
    per_objective: dict[int, dict[int, int]] = {}
    ratings = (
        ObjectiveRating.objects.filter(evaluation__event=event)
        .values("objective_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in ratings:
        per_objective.setdefault(item["objective_id"], {})[item["rating"]] = item["n"]
    objectives = (
        list(LearningObjective.objects.filter(course_id=event.host_id).order_by("order", "pk"))
        if isinstance(event.host, Course)
        else []
    )
    comments = evaluations.exclude(comment="").values_list("comment", flat=True)
    return responses, {
        "overall": _row(overall, threshold),
        "objectives": [
            {"objective": objective.pk, "label": objective.text}
            | _row(per_objective.get(objective.pk, {}), threshold)
            for objective in objectives
        ],
        "comments": shuffled(comments, salt=f"event:{event.pk}"),
    }


@transaction.atomic
def publish_evaluation(*, event_id, now=None) -> PublishedEvaluation | None:
    """Freeze the results of one session whose evaluation window has closed: once. The event
    row is locked and the result row's key is the event, so two runs at once publish it once;
    a session already published, cancelled, not a course's, or whose window is still open is
    left alone (None)."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if (
        event is None
        or event.status == Event.Status.CANCELLED
        or not isinstance(event.host, Course)
        or now < closes_at(event)
        or PublishedEvaluation.objects.filter(event=event).exists()
    ):
        return None
    threshold = min_responses()
    responses, results = freeze(event, threshold)
    shown = responses >= threshold
    return PublishedEvaluation.objects.create(
        event=event,
        published_at=now,
        threshold=threshold,
        shown=shown,
        responses=responses if shown else 0,
        results=results if shown else {},
    )


def publish_due_evaluations(now=None) -> int:
    """The periodic job: publish the results of every course session whose evaluation window
    has closed and that has none yet. Idempotent. Returns the number of sessions published
    (with or without results shown)."""
    now = now or timezone.now()
    due = (
        Event.objects.filter(
            host_type=ContentType.objects.get_for_model(Course),
            end__lte=now - window(),
            published_evaluation__isnull=True,
        )
        .exclude(status=Event.Status.CANCELLED)
        .order_by("end", "pk")
        .values_list("pk", flat=True)
    )
    return sum(publish_evaluation(event_id=pk, now=now) is not None for pk in list(due))
