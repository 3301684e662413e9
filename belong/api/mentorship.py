"""The mentorship program: cycles, my enrolment (enrol, change, withdraw), my matches with
their meetings and goals, and for coordinators the matching (run, review, publish). The same
rules as the pages (belong.mentorship.actions.cycles, .matchmaking, .life): a pair's meetings and
goals are the pair's; a match that is not the caller's is a 404; the coordinator's endpoints
are a 403 for everyone else."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from belong.api.auth import SIGNED_IN, caller
from belong.api.errors import ErrorOut, error_body
from belong.api.schemas import BodyIn, Day, choice
from belong.lib.converters import MAX_ID
from belong.mentorship import access, choices
from belong.mentorship.actions import cycles as actions
from belong.mentorship.actions import life, matchmaking
from belong.mentorship.models import Cycle, Enrollment, Goal, Match
from belong.people.models import OrgUnit

router = Router(tags=["mentorship"], auth=SIGNED_IN)

READ = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

Role = choice(Enrollment.Role)


def _coordinator(request):
    if not access.can_coordinate(caller(request)):
        raise PermissionDenied(_("Only mentorship coordinators may do this."))


class CycleOut(Schema):
    id: int
    title: str
    academic_year: str
    enrolment_opens_on: datetime.date
    enrolment_closes_on: datetime.date
    matching_on: datetime.date
    enrolment_open: bool
    published: bool
    kickoff_event: int | None = Field(None, description="The id of its kickoff event, if any.")

    @staticmethod
    def resolve_enrolment_open(obj):
        return obj.enrolment_open(timezone.localdate())

    @staticmethod
    def resolve_published(obj):
        return obj.published_at is not None

    @staticmethod
    def resolve_kickoff_event(obj):
        return obj.kickoff_id


class EnrollmentIn(BodyIn):
    training_level: str = Field(..., description="One of the training levels, e.g. `pgy1`.")
    program: str = Field("", max_length=80, description="The slug of a program or department.")
    specialty: str = Field("", max_length=120)
    campus: str = Field("", max_length=80, description="The slug of a campus.")
    career_interests: list[str] = Field([], max_length=20)
    dei_interests: list[str] = Field([], max_length=20)
    languages: list[str] = Field([], max_length=20)
    meeting: list[str] = Field([], max_length=5)
    availability: list[str] = Field([], max_length=10)
    capacity: int = Field(0, ge=0, le=choices.MAX_MENTOR_CAPACITY, description="Mentors: 1-5.")
    weights: dict[str, int] = Field(
        {}, description="Mentees: how much each factor matters, 0 to 3 (default 1)."
    )
    hopes: str = Field("", max_length=2000)
    shared_identity: list[str] = Field(
        [],
        max_length=6,
        description=(
            "Mentees: the self-identification questions (e.g. `first_generation`) on which they "
            "would like a mentor who answered alike. Needs the caller's consent to mentorship "
            "matching and an answer to each question (on /me/privacy/)."
        ),
    )
    identity_weight: int = Field(
        0, ge=0, le=3, description="Mentees: how much that matters, 1 to 3 (with shared_identity)."
    )
    preferred: list[str] = Field([], max_length=10, description="Mentees: mentors' emails.")
    excluded: list[str] = Field([], max_length=20, description="Emails of people to avoid.")


class EnrollmentOut(Schema):
    cycle: int
    role: Role
    training_level: str
    program: str
    specialty: str
    campus: str
    career_interests: list[str]
    dei_interests: list[str]
    languages: list[str]
    meeting: list[str]
    availability: list[str]
    capacity: int
    weights: dict[str, int]
    hopes: str
    shared_identity: list[str]
    identity_weight: int
    excluded: list[str]

    @staticmethod
    def resolve_cycle(obj):
        return obj.cycle_id

    @staticmethod
    def resolve_program(obj):
        return obj.program.slug if obj.program else ""

    @staticmethod
    def resolve_campus(obj):
        return obj.campus.slug if obj.campus else ""

    @staticmethod
    def resolve_excluded(obj):
        return [p.email for p in obj.excluded.all()]


class PersonOut(Schema):
    display_name: str
    email: str
    pronouns: str


class MatchOut(Schema):
    id: int
    cycle: int
    role: Role = Field(..., description="The caller's role in the pair.")
    other: PersonOut
    reasons: list[str]
    state: choice(Match.State)
    published_at: datetime.datetime


class MeetingIn(BodyIn):
    met_on: Day
    minutes: int = Field(..., ge=1, le=life.MAX_MINUTES)
    topics: str = Field("", max_length=300)
    notes: str = Field("", max_length=5000)


class MeetingOut(Schema):
    id: int
    met_on: datetime.date
    minutes: int
    topics: str
    notes: str


class GoalIn(BodyIn):
    title: str = Field(..., min_length=1, max_length=200)


class GoalStateIn(BodyIn):
    state: choice(Goal.State)


class GoalOut(Schema):
    id: int
    title: str
    state: choice(Goal.State)


class ProposalOut(Schema):
    mentee: str = Field(..., description="The mentee's email.")
    mentor: str = Field(..., description="The mentor's email.")
    score: float = Field(
        ...,
        description="Without the identity factor: nothing a coordinator sees of a pair depends "
        "on anyone's self-identification (docs/matching.md).",
    )
    reasons: list[str] = Field(..., description="The strongest factors other than identity.")
    pinned: bool


class UnmatchedOut(Schema):
    mentee: str
    why: str


class RunOut(Schema):
    id: int
    created_at: datetime.datetime
    mode: str
    total_score: float = Field(..., description="The proposals' scores added up.")
    proposals: list[ProposalOut]
    unmatched: list[UnmatchedOut]


class PublishIn(BodyIn):
    run: int = Field(..., description="The id of the run reviewed: the latest one.")


# --- cycles and my enrolment -------------------------------------------------------------------


@router.get("/mentorship/cycles", response={200: list[CycleOut], **READ}, summary="Cycles")
def list_cycles(request):
    return list(Cycle.objects.order_by("-enrolment_opens_on", "-pk")[:50])


def _people(emails, field):
    from django.contrib.auth import get_user_model

    wanted = sorted({e.strip().lower() for e in emails if e.strip()})
    found = {
        p.email.lower(): p
        for p in get_user_model().objects.filter(email__in=wanted, is_active=True)
    }
    unknown = [e for e in wanted if e not in found]
    if unknown:
        raise actions.Refused(
            _("Nobody here has the address %(emails)s.") % {"emails": ", ".join(unknown)},
            field=field,
        )
    return [found[e] for e in wanted]


def _unit(slug, field, kinds):
    if not slug:
        return None
    unit = OrgUnit.objects.filter(slug=slug, kind__in=kinds).first()
    if unit is None:
        raise actions.Refused(
            _("Unknown %(field)s: %(slug)s.") % {"field": field, "slug": slug}, field=field
        )
    return unit


@router.put(
    "/mentorship/cycles/{cycle_id}/enrollments/{role}",
    response={200: EnrollmentOut, 201: EnrollmentOut, **WRITE},
    summary="Enrol me, or change my answers",
    description="While the cycle's enrolment is open (409 otherwise). An answer that does not "
    "fit is a 400 naming the field.",
)
def put_enrollment(
    request, role: Role, payload: EnrollmentIn, cycle_id: int = Path(..., le=MAX_ID)
):
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    fields = payload.dict()
    fields["program"] = _unit(fields["program"], "program", ["program", "department"])
    fields["campus"] = _unit(fields["campus"], "campus", ["campus"])
    fields["preferred"] = _people(fields["preferred"], "preferred")
    fields["excluded"] = _people(fields["excluded"], "excluded")
    enrollment, created = actions.enrol(
        cycle.pk, person=caller(request), role=role, today=timezone.localdate(), **fields
    )
    return Status(201 if created else 200, enrollment)


@router.delete(
    "/mentorship/cycles/{cycle_id}/enrollments/{role}",
    response={204: None, **WRITE},
    summary="Withdraw me",
)
def delete_enrollment(request, role: Role, cycle_id: int = Path(..., le=MAX_ID)):
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    withdrawn = actions.withdraw(
        cycle.pk, person=caller(request), role=role, today=timezone.localdate()
    )
    if not withdrawn:
        return JsonResponse(error_body(_("You are not enrolled in that role.")), status=404)
    return Status(204, None)


@router.get(
    "/me/mentorship/enrollments",
    response={200: list[EnrollmentOut], **READ},
    summary="My enrolments",
)
def my_enrollments(request):
    return list(
        Enrollment.objects.filter(person=caller(request))
        .select_related("program", "campus")
        .prefetch_related("excluded")
        .order_by("-cycle__enrolment_opens_on", "role")
    )


# --- my matches, meetings and goals ------------------------------------------------------------


def _match_out(match, person):
    i_mentor = match.mentor.person_id == person.pk
    return {
        "id": match.pk,
        "cycle": match.cycle_id,
        "role": "mentor" if i_mentor else "mentee",
        "other": match.mentee.person if i_mentor else match.mentor.person,
        "reasons": matchmaking.reason_words(match.reasons_for(person)),
        "state": match.state,
        "published_at": timezone.localtime(match.published_at),
    }


@router.get("/me/mentorship/matches", response={200: list[MatchOut], **READ}, summary="My matches")
def my_matches(request):
    person = caller(request)
    matches = (
        Match.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))
        .select_related("mentee__person", "mentor__person")
        .order_by("-published_at", "pk")
    )
    return [_match_out(m, person) for m in matches]


@router.get(
    "/mentorship/matches/{match_id}/meetings",
    response={200: list[MeetingOut], **READ},
    summary="Our meetings",
)
def list_meetings(request, match_id: int = Path(..., le=MAX_ID)):
    match = life.pair_match(match_id, caller(request))
    return list(match.meetings.all())


@router.post(
    "/mentorship/matches/{match_id}/meetings",
    response={201: MeetingOut, **WRITE},
    summary="Log a meeting",
)
def post_meeting(request, payload: MeetingIn, match_id: int = Path(..., le=MAX_ID)):
    meeting = life.log_meeting(match_id, person=caller(request), **payload.dict())
    return Status(201, meeting)


@router.get(
    "/mentorship/matches/{match_id}/goals",
    response={200: list[GoalOut], **READ},
    summary="Our goals",
)
def list_goals(request, match_id: int = Path(..., le=MAX_ID)):
    match = life.pair_match(match_id, caller(request))
    return list(match.goals.all())


@router.post(
    "/mentorship/matches/{match_id}/goals", response={201: GoalOut, **WRITE}, summary="Set a goal"
)
def post_goal(request, payload: GoalIn, match_id: int = Path(..., le=MAX_ID)):
    goal = life.add_goal(match_id, person=caller(request), title=payload.title)
    return Status(201, goal)


@router.patch(
    "/mentorship/goals/{goal_id}", response={200: GoalOut, **WRITE}, summary="Move a goal along"
)
def patch_goal(request, payload: GoalStateIn, goal_id: int = Path(..., le=MAX_ID)):
    return life.set_goal_state(goal_id, person=caller(request), state=payload.state)


# --- coordinators: matching --------------------------------------------------------------------


def _run_out(run):
    enrollments = {
        e.pk: e for e in Enrollment.objects.filter(cycle_id=run.cycle_id).select_related("person")
    }
    return {
        "id": run.pk,
        "created_at": timezone.localtime(run.created_at),
        "mode": run.mode,
        "total_score": run.total_score,
        "proposals": [
            {
                "mentee": p.mentee.person.email,
                "mentor": p.mentor.person.email,
                "score": p.score,
                "reasons": matchmaking.reason_words(p.reasons),
                "pinned": p.pinned,
            }
            for p in run.proposals.select_related("mentee__person", "mentor__person").order_by("pk")
        ],
        "unmatched": [
            {"mentee": enrollments[row["mentee"]].person.email, "why": row["why"]}
            for row in run.unmatched
            if row["mentee"] in enrollments
        ],
    }


@router.post(
    "/mentorship/cycles/{cycle_id}/runs",
    response={201: RunOut, **WRITE},
    summary="Run the matching (coordinators)",
)
def post_run(request, cycle_id: int = Path(..., le=MAX_ID)):
    _coordinator(request)
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    run = matchmaking.run(cycle.pk, actor=caller(request))
    return Status(201, _run_out(run))


@router.get(
    "/mentorship/cycles/{cycle_id}/runs/latest",
    response={200: RunOut, 403: ErrorOut, **READ},
    summary="The latest run, to review (coordinators)",
)
def latest_run(request, cycle_id: int = Path(..., le=MAX_ID)):
    _coordinator(request)
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    run = matchmaking.latest_run(cycle)
    if run is None:
        return JsonResponse(error_body(_("The matching has not run yet.")), status=404)
    return _run_out(run)


@router.post(
    "/mentorship/cycles/{cycle_id}/publish",
    response={200: CycleOut, **WRITE},
    summary="Publish the latest run (coordinators)",
    description="Makes the matches and introduces each pair by email; 409 when the run given is "
    "not the latest, or answers or pairs changed after it.",
)
def post_publish(request, payload: PublishIn, cycle_id: int = Path(..., le=MAX_ID)):
    _coordinator(request)
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    matchmaking.publish(cycle.pk, actor=caller(request), run_id=payload.run)
    cycle.refresh_from_db()
    return cycle
