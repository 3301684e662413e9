"""The life of a published match: meetings and goals, the two check-ins, a confidential request
for a new match or to end it, the coordinator's answer, a new match for someone whose match
ended, and the pairs that have gone quiet.

Who sees what: a pair's meetings (with their notes) and goals are the pair's; the coordinator
sees when they met, never the notes. A check-in is read by the coordinator, never by the other
person. A concern is seen by the coordinator; the other person learns only what the
coordinator does about it (the match ends), never who asked or why."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.mentorship import access
from belong.mentorship.actions.cycles import Refused
from belong.mentorship.models import CheckIn, Concern, Cycle, Enrollment, Goal, Match, Meeting
from belong.notifications import outbox
from belong.people.actions import audit

MAX_MINUTES = 600


def pair_match(match_id, person) -> Match:
    """The match `person` is one of, else Refused (404: not telling whether it exists)."""
    match = (
        Match.objects.filter(pk=match_id)
        .filter(Q(mentee__person=person) | Q(mentor__person=person))
        .select_related("cycle", "mentee__person", "mentor__person")
        .first()
    )
    if match is None:
        raise Refused(_("There is no such match of yours."), field="match", status=404)
    return match


def _active(match):
    if match.state != Match.State.ACTIVE:
        raise Refused(_("This match has ended."), status=409)


def log_meeting(match_id, *, person, met_on, minutes, topics="", notes="", today=None):
    today = today or timezone.localdate()
    match = pair_match(match_id, person)
    _active(match)
    if met_on > today:
        raise Refused(_("Log a meeting once it has taken place."), field="met_on")
    if met_on < timezone.localdate(match.published_at):
        raise Refused(_("The meeting is before the match was made."), field="met_on")
    if not 1 <= minutes <= MAX_MINUTES:
        raise Refused(
            _("A meeting lasts from 1 to %(most)s minutes.") % {"most": MAX_MINUTES},
            field="minutes",
        )
    return Meeting.objects.create(
        match=match,
        met_on=met_on,
        minutes=minutes,
        topics=topics.strip(),
        notes=notes.strip(),
        logged_by=person,
    )


def add_goal(match_id, *, person, title):
    match = pair_match(match_id, person)
    _active(match)
    title = title.strip()
    if not title:
        raise Refused(_("Say what the goal is."), field="title")
    return Goal.objects.create(match=match, title=title, created_by=person)


def set_goal_state(goal_id, *, person, state):
    if state not in Goal.State.values:
        raise Refused(_("Choose a state from the list."), field="state")
    with transaction.atomic():
        goal = Goal.objects.select_for_update().filter(pk=goal_id).first()
        if goal is None:
            raise Refused(_("There is no such goal of yours."), field="goal", status=404)
        pair_match(goal.match_id, person)
        if goal.state != state:
            goal.state = state
            goal.save(update_fields=["state", "updated_at"])
    return goal


def due_stages(match, today):
    """The check-ins open for a match today, by the cycle's dates."""
    cycle = match.cycle
    stages = []
    if cycle.mid_check_in_on and cycle.mid_check_in_on <= today:
        stages.append(CheckIn.Stage.MID)
    if cycle.end_check_in_on and cycle.end_check_in_on <= today:
        stages.append(CheckIn.Stage.END)
    return stages


def check_in(match_id, *, person, stage, satisfaction, comment="", today=None):
    """Answer (or correct) the person's check-in for `stage`, once it is open."""
    today = today or timezone.localdate()
    match = pair_match(match_id, person)
    if stage not in due_stages(match, today):
        raise Refused(_("This check-in is not open."), field="stage", status=409)
    if satisfaction not in range(1, 6):
        raise Refused(_("Rate it from 1 to 5."), field="satisfaction")
    answer, _created = CheckIn.objects.update_or_create(
        match=match,
        person=person,
        stage=stage,
        defaults={"satisfaction": satisfaction, "comment": comment.strip()},
    )
    return answer


def coordinators():
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name__in=access.COORDINATORS, is_active=True)
        .distinct()
        .order_by("pk")
    )


def raise_concern(match_id, *, person, kind, reason=""):
    """Ask, confidentially, for a new match or to end this one. The coordinators are told (a
    private email that names nobody); the other person is not."""
    if kind not in Concern.Kind.values:
        raise Refused(_("Ask for a new match or to end it."), field="kind")
    with transaction.atomic():
        match = pair_match(match_id, person)
        _active(match)
        if Concern.objects.filter(match=match, person=person, resolved_at__isnull=True).exists():
            raise Refused(_("You asked already: the coordinator will be in touch."), status=409)
        concern = Concern.objects.create(
            match=match, person=person, kind=kind, reason=reason.strip()
        )
        for coordinator in coordinators():
            outbox.queue(
                key=f"mentorship:concern:{concern.pk}:{coordinator.pk}",
                to_email=coordinator.email,
                person=coordinator,
                template="mentorship/email/concern",
                context={"person": coordinator, "cycle": match.cycle},
                private=True,
            )
    return concern


def resolve_concern(concern_id, *, actor, outcome, now=None):
    """The coordinator ends the match (both people are told it ended, never why or by whom)
    or keeps it (the person who asked is told)."""
    access.coordinator_or_403(actor)
    now = now or timezone.now()
    if outcome not in Concern.Outcome.values:
        raise Refused(_("End the match or keep it."), field="outcome")
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update(of=("self",))
            .filter(pk=concern_id)
            .select_related("match__cycle", "match__mentee__person", "match__mentor__person")
            .first()
        )
        if concern is None:
            raise Refused(_("There is no such request."), field="concern", status=404)
        if concern.resolved_at is not None:
            raise Refused(_("This request has been answered already."), status=409)
        match = concern.match
        concern.resolved_at, concern.outcome, concern.resolved_by = now, outcome, actor
        concern.save(update_fields=["resolved_at", "outcome", "resolved_by"])
        if outcome == Concern.Outcome.ENDED:
            _end_match(match.pk, actor=actor, now=now)
        else:
            _tell(concern.person, "concern_kept", match, key=f"kept:{concern.pk}")
        audit(actor=actor, verb=f"mentorship.concern_{outcome}", obj=match)
    return concern


def end_match(match_id, *, actor, now=None):
    """A coordinator ends a match; both people are told it ended."""
    access.coordinator_or_403(actor)
    return _end_match(match_id, actor=actor, now=now)


def end_match_on_erasure(match_id, *, now=None):
    """The installation ends a match because one of the pair erased their account (no actor:
    belong.mentorship.personal.erase); the other is told it ended, as when a coordinator ends
    one."""
    return _end_match(match_id, actor=None, now=now)


def _end_match(match_id, *, actor, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        match = (
            Match.objects.select_for_update(of=("self",))
            .select_related("cycle", "mentee__person", "mentor__person")
            .get(pk=match_id)
        )
        if match.state == Match.State.ENDED:
            return match
        match.state, match.ended_at = Match.State.ENDED, now
        match.save(update_fields=["state", "ended_at"])
        Concern.objects.filter(match=match, resolved_at__isnull=True).update(
            resolved_at=now, outcome=Concern.Outcome.ENDED, resolved_by=actor
        )
        for person in (match.mentee.person, match.mentor.person):
            _tell(person, "match_ended", match, key=f"ended:{match.pk}")
        audit(actor=actor, verb="mentorship.match_ended", obj=match)
    return match


def _tell(person, template, match, *, key):
    outbox.queue(
        key=f"mentorship:{key}:{person.pk}",
        to_email=person.email,
        person=person,
        template=f"mentorship/email/{template}",
        context={"person": person, "cycle": match.cycle},
        private=True,
    )


def rematch(cycle_id, *, actor, mentee_id, mentor_id, now=None):
    """A new match made by hand for a mentee of the cycle who has no active one, with a mentor
    who has a place left (their capacity counts active matches), more senior, and not excluded
    by either. Both are introduced as at publishing."""
    access.coordinator_or_403(actor)
    from belong.mentorship.actions import matchmaking

    now = now or timezone.now()
    with transaction.atomic():
        mentor = (
            Enrollment.objects.select_for_update(of=("self",))
            .filter(pk=mentor_id, cycle_id=cycle_id, role=Enrollment.Role.MENTOR)
            .select_related("person", "cycle")
            .first()
        )
        mentee = (
            Enrollment.objects.filter(pk=mentee_id, cycle_id=cycle_id, role=Enrollment.Role.MENTEE)
            .select_related("person")
            .first()
        )
        if mentee is None or mentor is None:
            raise Refused(_("Choose a mentee and a mentor enrolled in this cycle."), field="pair")
        matchmaking.refuse_own_pair(actor, mentee, mentor)
        if mentor.cycle.published_at is None:
            raise Refused(_("Publish the cycle's matches first."), status=409)
        if Match.objects.filter(mentee=mentee, state=Match.State.ACTIVE).exists():
            raise Refused(_("This mentee has an active match."), field="mentee", status=409)
        if mentor.person_id == mentee.person_id or mentor.seniority <= mentee.seniority:
            raise Refused(_("A mentor must be more senior than the mentee."), field="mentor")
        if (
            mentee.excluded.filter(pk=mentor.person_id).exists()
            or mentor.excluded.filter(pk=mentee.person_id).exists()
        ):
            raise Refused(_("One of them must not be matched with the other."), field="mentor")
        taken = Match.objects.filter(mentor=mentor, state=Match.State.ACTIVE).count()
        if taken >= mentor.capacity:
            raise Refused(_("This mentor has no place left."), field="mentor", status=409)
        match = Match.objects.create(
            cycle=mentor.cycle, mentee=mentee, mentor=mentor, score=0, reasons=[], published_at=now
        )
        matchmaking.introduce(match)
        audit(actor=actor, verb="mentorship.rematched", obj=match)
    return match


def quiet_weeks() -> int:
    return settings.MENTORSHIP_QUIET_WEEKS


def with_last_meeting(matches):
    return matches.annotate(last_met_on=Max("meetings__met_on"))


def is_quiet(match, today) -> bool:
    """No meeting logged for MENTORSHIP_QUIET_WEEKS (counted from the match when none was)."""
    since = match.last_met_on or timezone.localdate(match.published_at)
    return today - since >= datetime.timedelta(weeks=quiet_weeks())


def tell_coordinators_of_quiet_pairs(today=None) -> int:
    """Once a week (ISO week), each coordinator gets the number of active pairs that went
    quiet, by cycle, if any: a private email that names nobody (the list is on the matches
    page). Idempotent within the week."""
    today = today or timezone.localdate()
    matches = with_last_meeting(
        Match.objects.filter(state=Match.State.ACTIVE).select_related("cycle")
    )
    by_cycle: dict[Cycle, int] = {}
    for match in matches:
        if is_quiet(match, today):
            by_cycle.setdefault(match.cycle, 0)
            by_cycle[match.cycle] += 1
    if not by_cycle:
        return 0
    year, week, _day = today.isocalendar()
    sent = 0
    for coordinator in coordinators():
        for cycle, count in by_cycle.items():
            outbox.queue(
                key=f"mentorship:quiet:{cycle.pk}:{year}-{week}:{coordinator.pk}",
                to_email=coordinator.email,
                person=coordinator,
                template="mentorship/email/quiet_pairs",
                context={
                    "person": coordinator,
                    "cycle": cycle,
                    "count": count,
                    "weeks": quiet_weeks(),
                },
                private=True,
            )
            sent += 1
    return sent
