"""The mentorship's part of a person's download (belong.people.personal_data)."""

from django.db.models import Q

from belong.mentorship.actions.matchmaking import reason_words
from belong.mentorship.models import (
    Ambassador,
    ApplicantRequest,
    CheckIn,
    Concern,
    Enrollment,
    Goal,
    Match,
    Meeting,
)
from belong.people.personal_data import EXPORTED

SECTION = "mentorship"
NOT_THEIRS = "not exported: "

FIELDS = {
    "mentorship.Enrollment.person": EXPORTED,
    "mentorship.Enrollment.preferred": NOT_THEIRS
    + "another mentee's wish, theirs and the coordinator's to see (a person's own wishes are "
    "exported with their enrolment)",
    "mentorship.Enrollment.excluded": NOT_THEIRS
    + "another person's confidential exclusion (a person's own exclusions are exported with "
    "their enrolment)",
    "mentorship.PairRule.created_by": NOT_THEIRS
    + "a coordinator's pin or exclusion is about the pair, not about the coordinator",
    "mentorship.MatchingRun.created_by": NOT_THEIRS
    + "a coordinator's run is about the people matched, not about the coordinator",
    "mentorship.Meeting.logged_by": EXPORTED + " (every meeting of the person's matches)",
    "mentorship.Goal.created_by": EXPORTED + " (every goal of the person's matches)",
    "mentorship.CheckIn.person": EXPORTED,
    "mentorship.Concern.person": EXPORTED,
    "mentorship.Concern.resolved_by": NOT_THEIRS
    + "another person's confidential request, resolved as the coordinator",
    "mentorship.Ambassador.person": EXPORTED
    + " (with how many applicants' requests reached them; the applicants' details are theirs)",
}

ANSWERS = (
    "training_level",
    "specialty",
    "career_interests",
    "dei_interests",
    "languages",
    "meeting",
    "availability",
    "capacity",
    "weights",
    "shared_identity",
    "identity_weight",
    "hopes",
)


def _enrollment(e):
    return {
        "cycle": e.cycle.title,
        "role": e.role,
        "program": e.program.name if e.program else "",
        "campus": e.campus.name if e.campus else "",
        **{name: getattr(e, name) for name in ANSWERS},
        "mentors_you_would_like": sorted(p.email for p in e.preferred.all()),
        "people_you_must_not_be_matched_with": sorted(p.email for p in e.excluded.all()),
        "enrolled": e.created_at,
    }


def _match(match, person):
    mine_is_mentee = match.mentee.person_id == person.pk
    other = match.mentor.person if mine_is_mentee else match.mentee.person
    return {
        "cycle": match.cycle.title,
        "your_role": "mentee" if mine_is_mentee else "mentor",
        "with": other.display_name,
        "why": reason_words(match.reasons_for(person)),
        "state": match.state,
        "published": match.published_at,
        "ended": match.ended_at,
        "meetings": [
            {"date": m.met_on, "minutes": m.minutes, "topics": m.topics, "notes": m.notes}
            for m in Meeting.objects.filter(match=match).order_by("met_on", "pk")
        ],
        "goals": [
            {"goal": g.title, "state": g.state}
            for g in Goal.objects.filter(match=match).order_by("created_at", "pk")
        ],
    }


def export(person) -> dict:
    enrollments = (
        Enrollment.objects.filter(person=person)
        .select_related("cycle", "program", "campus")
        .prefetch_related("preferred", "excluded")
        .order_by("created_at", "pk")
    )
    matches = (
        Match.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))
        .select_related("cycle", "mentee__person", "mentor__person")
        .order_by("published_at", "pk")
    )
    ambassador = Ambassador.objects.filter(person=person).prefetch_related("programs").first()
    return {
        "enrolments": [_enrollment(e) for e in enrollments],
        "matches": [_match(m, person) for m in matches],
        "check_ins": [
            {"stage": c.stage, "satisfaction": c.satisfaction, "comment": c.comment}
            for c in CheckIn.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "requests_to_the_coordinator": [
            {
                "asked_for": c.kind,
                "why": c.reason,
                "asked": c.created_at,
                "resolved": c.resolved_at,
                "outcome": c.outcome,
            }
            for c in Concern.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "ambassador": None
        if ambassador is None
        else {
            "programs": sorted(unit.name for unit in ambassador.programs.all()),
            "interests": ambassador.interests,
            "introduction": ambassador.introduction,
            "show_name": ambassador.show_name,
            "conversations_a_month": ambassador.monthly_limit,
            "taking_requests": ambassador.active,
            "applicant_requests_received": ApplicantRequest.objects.filter(
                ambassador=ambassador
            ).count(),
        },
    }


def erase(person, *, now) -> None:
    """Active matches end (the other person is told it ended, as when a coordinator ends one);
    enrolments in a cycle not yet published are withdrawn, older ones keep only what the
    cycle's figures need; check-ins and requests to the coordinator are deleted; a pair's
    meetings and goals stay the other person's, with no author; an ambassador's requests
    waiting for them go to another ambassador, then the ambassador profile goes."""
    from belong.mentorship.actions import connections, life
    from belong.mentorship.models import MatchingRun, PairRule

    mine = Q(mentee__person=person) | Q(mentor__person=person)
    for match_id in list(
        Match.objects.filter(mine, state=Match.State.ACTIVE).values_list("pk", flat=True)
    ):
        life.end_match_on_erasure(match_id, now=now)
    Enrollment.objects.filter(person=person, cycle__published_at__isnull=True).delete()
    for enrollment in Enrollment.objects.filter(person=person):
        enrollment.preferred.clear()
        enrollment.excluded.clear()
    Enrollment.objects.filter(person=person).update(
        specialty="", hopes="", shared_identity=[], identity_weight=0
    )
    for enrollment in Enrollment.objects.filter(
        Q(preferred=person) | Q(excluded=person)
    ).distinct():
        enrollment.preferred.remove(person)
        enrollment.excluded.remove(person)
    CheckIn.objects.filter(person=person).delete()
    Concern.objects.filter(person=person).delete()
    Concern.objects.filter(resolved_by=person).update(resolved_by=None)
    Meeting.objects.filter(logged_by=person).update(logged_by=None)
    Goal.objects.filter(created_by=person).update(created_by=None)
    PairRule.objects.filter(created_by=person).update(created_by=None)
    MatchingRun.objects.filter(created_by=person).update(created_by=None)
    offered = ApplicantRequest.objects.filter(
        ambassador__person=person, state=ApplicantRequest.State.OFFERED
    )
    for request_id in list(offered.values_list("pk", flat=True)):
        connections.answer(request_id, person=person, accept=False, now=now)
    Ambassador.objects.filter(person=person).delete()


def leave(person, *, now) -> None:
    """A leaver's active matches are flagged to the coordinators (a private email per match
    that names nobody; the matches page shows which pair): the coordinator ends the match or
    matches the other person again. Enrolments and what the pair logged stay."""
    from belong.mentorship.actions.life import coordinators
    from belong.notifications import outbox

    mine = Q(mentee__person=person) | Q(mentor__person=person)
    matches = list(Match.objects.filter(mine, state=Match.State.ACTIVE).select_related("cycle"))
    told = list(coordinators()) if matches else []
    for match in matches:
        for coordinator in told:
            outbox.queue(
                key=f"mentorship:leaver:{match.pk}:{coordinator.pk}",
                to_email=coordinator.email,
                person=coordinator,
                template="mentorship/email/leaver",
                context={"person": coordinator, "cycle": match.cycle},
                private=True,
            )
