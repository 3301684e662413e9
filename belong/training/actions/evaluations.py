"""Anonymous evaluations of sessions: inviting attendees and taking their answers.

Anonymity, in the data: an attendee's `EvaluationInvite` (tied to the registration) records only
that it was used; the `Evaluation` it produces has a random key, the day only, and nothing that
leads back to the person. The link's token is a bearer secret: only its SHA-256 is stored, so a
copy of the database does not hold working links (the raw token lives only in the email).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.events.models import Event, Registration
from belong.notifications import outbox
from belong.training.models import (
    Course,
    Evaluation,
    EvaluationInvite,
    LearningObjective,
    ObjectiveRating,
)

RATINGS = range(1, 6)
MAX_COMMENT_LENGTH = 4000
REQUEST_WINDOW = datetime.timedelta(days=30)


class EvaluationRefused(Exception):
    """An answer the rules do not take. `field` names what it is about (a form field name, or
    "token"), `status` the HTTP status that fits: 404 for a link that is not the person's, 409
    for one already used or a cancelled session, 400 for a rating out of range."""

    def __init__(self, message, *, field="token", status=409, code="refused"):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.status = status
        self.code = code


def token_digest(token: str) -> str:
    """What is stored of an invitation's token (64 hex characters)."""
    return hashlib.sha256(token.encode()).hexdigest()


def min_responses() -> int:
    return getattr(settings, "EVALUATION_MIN_RESPONSES", 5)


def objective_field(objective_id) -> str:
    """The form field (and error field) of one learning objective's rating."""
    return f"objective_{objective_id}"


@transaction.atomic
def invite_attendees(*, event):
    """Give each attendee of `event` who has none a one-time invitation and queue the email that
    carries its link. Running it again changes nothing (one invite per registration, one email
    per registration by its outbox key). Cancelled sessions and events that no course hosts get
    no invitations. Returns the number of invitations created."""
    event = Event.objects.select_for_update().filter(pk=event.pk).first()  # one run at a time
    if event is None or event.status == Event.Status.CANCELLED:
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
            },
        )
    return len(registrations)


def request_due_evaluations(now=None) -> int:
    """The periodic job: invite the attendees of every course session that has ended within the
    last 30 days, is not cancelled, and has attendees without an invitation. Idempotent.
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
            end__gt=now - REQUEST_WINDOW,
        )
        .exclude(status=Event.Status.CANCELLED)
        .filter(Exists(pending))
        .order_by("end", "pk")
    )
    return sum(invite_attendees(event=event) for event in events)


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


@transaction.atomic
def submit_evaluation(*, person, token, session_rating, objective_ratings, comment=""):
    """Take one anonymous answer for the invitation whose token is `token`.

    `objective_ratings` maps each learning objective of the course (its id) to a rating from 1
    to 5; every objective needs one. The invitation is locked first, so two submissions with one
    token give exactly one evaluation. Returns the new Evaluation."""
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

    session_rating = _rating(session_rating, field="session_rating", label=_("The session overall"))
    course_type = ContentType.objects.get_for_model(Course)
    objectives = (
        list(LearningObjective.objects.filter(course_id=event.host_id).order_by("order", "pk"))
        if event.host_type_id == course_type.pk
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
