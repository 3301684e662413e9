"""Every change to mentorship cycles and enrolments. Pages, the API and commands call these.

Enrolling is one transaction that locks the cycle row, checks that enrolment is open and that
the answers fit the role, and writes the enrolment (a unique (cycle, person, role) constraint
makes a double submit harmless: the second one changes the same row)."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from belong.lib.refusals import Refusal
from belong.mentorship import access, choices
from belong.mentorship.models import Cycle, Enrollment
from belong.people import identity, privacy
from belong.people.actions import audit
from belong.people.models import Consent

YEAR = re.compile(r"^(\d{4})-(\d{4})$")


class Refused(Refusal):
    """A request the rules do not allow. `field` names what it is about; `status` the HTTP
    status that fits (400 for an answer out of bounds, 409 for the cycle's state)."""

    field = "cycle"


# --- cycles ------------------------------------------------------------------------------------


def _check_cycle(fields, *, exclude_pk=None):
    year = YEAR.match(fields["academic_year"] or "")
    if not year or int(year.group(2)) != int(year.group(1)) + 1:
        raise Refused(
            _("Write the academic year as two following years, for example 2026-2027."),
            field="academic_year",
        )
    opens, closes, matching = (
        fields["enrolment_opens_on"],
        fields["enrolment_closes_on"],
        fields["matching_on"],
    )
    if closes < opens:
        raise Refused(
            _("Enrolment must close on or after the day it opens."), field="enrolment_closes_on"
        )
    if matching < closes:
        raise Refused(
            _("The matching date must be on or after the day enrolment closes."),
            field="matching_on",
        )
    overlapping = Cycle.objects.filter(
        enrolment_opens_on__lte=closes, enrolment_closes_on__gte=opens
    ).exclude(pk=exclude_pk)
    other = overlapping.first()
    if other is not None:
        raise Refused(
            _(
                "Its enrolment window overlaps the one of %(cycle)s: people would not know which to join."
            )
            % {"cycle": other.title},
            field="enrolment_opens_on",
        )
    mid, end = fields.get("mid_check_in_on"), fields.get("end_check_in_on")
    if mid and mid <= matching:
        raise Refused(
            _("The mid-cycle check-in comes after the matching date."), field="mid_check_in_on"
        )
    if end and end <= (mid or matching):
        raise Refused(
            _("The end-of-cycle check-in comes after the matching date and the mid-cycle one."),
            field="end_check_in_on",
        )
    duplicate = Cycle.objects.filter(academic_year=fields["academic_year"]).exclude(pk=exclude_pk)
    if duplicate.exists():
        raise Refused(_("There is already a cycle for that academic year."), field="academic_year")


CYCLE_FIELDS = (
    "title",
    "academic_year",
    "enrolment_opens_on",
    "enrolment_closes_on",
    "matching_on",
    "mode",
    "min_score",
    "mid_check_in_on",
    "end_check_in_on",
)


@transaction.atomic
def create_cycle(*, actor, **fields) -> Cycle:
    access.coordinator_or_403(actor)
    _check_cycle(fields)
    try:
        cycle = Cycle.objects.create(**{name: fields.get(name) for name in CYCLE_FIELDS})
    except IntegrityError:
        raise Refused(
            _("There is already a cycle for that academic year."), field="academic_year"
        ) from None
    audit(actor=actor, verb="mentorship.cycle_created", obj=cycle)
    return cycle


@transaction.atomic
def update_cycle(cycle_id, *, actor, **fields) -> Cycle:
    access.coordinator_or_403(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.published_at is not None:
        raise Refused(_("Its matches are published: the cycle can no longer change."), status=409)
    _check_cycle(fields, exclude_pk=cycle.pk)
    changed = [name for name in CYCLE_FIELDS if getattr(cycle, name) != fields.get(name)]
    for name in changed:
        setattr(cycle, name, fields.get(name))
    if changed:
        cycle.save(update_fields=changed)
        audit(actor=actor, verb="mentorship.cycle_changed", obj=cycle, changed=changed)
    return cycle


# --- enrolment ---------------------------------------------------------------------------------


def _keys(value, vocabulary, field):
    """The answer as a sorted list of known keys; an unknown key is refused."""
    known = {key for key, _label in vocabulary}
    keys = sorted(set(value or ()))
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise Refused(
            _("Choose from the list: %(values)s is not one of its answers.")
            % {"values": ", ".join(unknown)},
            field=field,
        )
    return keys


def _weights(value):
    factors = {key for key, _label in choices.WEIGHTED_FACTORS}
    allowed = {weight for weight, _label in choices.WEIGHT_CHOICES}
    weights = {}
    for factor, weight in (value or {}).items():
        if factor not in factors:
            raise Refused(_("Unknown factor: %(factor)s.") % {"factor": factor}, field="weights")
        try:
            weight = int(weight)
        except (TypeError, ValueError):
            weight = None
        if weight not in allowed:
            raise Refused(
                _("How much %(factor)s matters is a number from 0 to 3.") % {"factor": factor},
                field=f"weight_{factor}",
            )
        weights[factor] = weight
    return {factor: weights.get(factor, choices.DEFAULT_WEIGHT) for factor in sorted(factors)}


def _answers(role, answers):
    """The answers checked for `role`, ready to store."""
    level = answers.get("training_level")
    if level not in choices.SENIORITY:
        raise Refused(_("Choose your training level from the list."), field="training_level")
    if role == Enrollment.Role.MENTEE and level not in choices.MENTEE_LEVELS:
        raise Refused(
            _("Mentees are residents and fellows: faculty enrol as mentors."),
            field="training_level",
        )
    if role == Enrollment.Role.MENTOR and level not in choices.MENTOR_LEVELS:
        raise Refused(
            _("Mentors are faculty and senior fellows (PGY-4 and later)."),
            field="training_level",
        )
    try:
        capacity = int(answers.get("capacity") or 0)
    except (TypeError, ValueError):
        capacity = -1
    if role == Enrollment.Role.MENTOR:
        if not 1 <= capacity <= choices.MAX_MENTOR_CAPACITY:
            raise Refused(
                _("A mentor takes from 1 to %(most)s mentees.")
                % {"most": choices.MAX_MENTOR_CAPACITY},
                field="capacity",
            )
    else:
        capacity = 0
    return {
        "training_level": level,
        "program": answers.get("program"),
        "specialty": (answers.get("specialty") or "").strip(),
        "campus": answers.get("campus"),
        "career_interests": _keys(
            answers.get("career_interests"), choices.CAREER_INTERESTS, "career_interests"
        ),
        "dei_interests": _keys(
            answers.get("dei_interests"), choices.DEI_INTERESTS, "dei_interests"
        ),
        "languages": _keys(answers.get("languages"), choices.LANGUAGES, "languages"),
        "meeting": _keys(answers.get("meeting"), choices.MEETING, "meeting"),
        "availability": _keys(answers.get("availability"), choices.AVAILABILITY, "availability"),
        "capacity": capacity,
        "weights": _weights(answers.get("weights")) if role == Enrollment.Role.MENTEE else {},
        "hopes": (answers.get("hopes") or "").strip(),
        **_identity_wish(role, answers),
    }


def _identity_wish(role, answers):
    """A mentee's wish for a mentor who shares an aspect of identity: the questions it is about
    and how much it matters (1-3). Checked against identity's questions only here; whether the
    person consented and answered those questions is checked by `enrol`."""
    wanted = answers.get("shared_identity") or []
    if role != Enrollment.Role.MENTEE:
        if wanted:
            raise Refused(
                _("Only mentees ask for a mentor who shares an aspect of identity."),
                field="shared_identity",
            )
        return {"shared_identity": [], "identity_weight": 0}
    keys = _keys(wanted, [(d.key, d.label) for d in identity.DIMENSIONS], "shared_identity")
    try:
        weight = int(answers.get("identity_weight") or 0) if keys else 0
    except (TypeError, ValueError):
        weight = -1
    if keys and weight not in (1, 2, 3):
        raise Refused(
            _("How much a shared aspect of identity matters is a number from 1 to 3."),
            field="identity_weight",
        )
    return {"shared_identity": keys, "identity_weight": weight}


def _check_identity_wish(person, keys):
    """A wish the matching could act on: the mentee's consent to matching stands and they
    answered each question they named (on /me/privacy/)."""
    if not keys:
        return
    if Consent.Purpose.MATCHING not in privacy.standing(person):
        raise Refused(
            _(
                "To ask for a mentor who shares an aspect of your identity, first give your "
                "consent to mentorship matching on your self-identification page."
            ),
            field="shared_identity",
        )
    answered = privacy.answers_of(person)
    missing = [
        str(identity.BY_KEY[key].label)
        for key in keys
        if not identity.matching_aspects(answered, [key])
    ]
    if missing:
        raise Refused(
            _(
                "You have not answered %(questions)s on your self-identification page: a "
                "mentor can only share what you chose to share."
            )
            % {"questions": ", ".join(missing)},
            field="shared_identity",
        )


def enrol(cycle_id, *, person, role, today: datetime.date, preferred=(), excluded=(), **answers):
    """Enrol `person` in the cycle as `role` with `answers`, or change their answers: (the
    enrolment, created). Refused when enrolment is not open or an answer does not fit."""
    if role not in Enrollment.Role.values:
        raise Refused(_("Enrol as a mentee or as a mentor."), field="role")
    fields = _answers(role, answers)
    for other in (*preferred, *excluded):
        if other.pk == person.pk:
            raise Refused(
                _("Name other people here, not yourself."),
                field="preferred" if other in preferred else "excluded",
            )
    if role == Enrollment.Role.MENTOR and preferred:
        raise Refused(_("Only mentees name the mentors they would like."), field="preferred")
    _check_identity_wish(person, fields["shared_identity"])
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        if not cycle.enrolment_open(today):
            raise Refused(_("Enrolment in this cycle is not open."), status=409)
        enrollment, created = Enrollment.objects.update_or_create(
            cycle=cycle, person=person, role=role, defaults=fields
        )
        enrollment.preferred.set(preferred)
        enrollment.excluded.set(excluded)
    return enrollment, created


@transaction.atomic
def withdraw(cycle_id, *, person, role, today: datetime.date) -> bool:
    """Withdraw from a cycle while enrolment is open: the answers are deleted. False when there
    was nothing to withdraw."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
    if not cycle.enrolment_open(today):
        raise Refused(
            _("Enrolment has closed: ask the mentorship coordinator to withdraw you."), status=409
        )
    deleted, _rows = Enrollment.objects.filter(cycle=cycle, person=person, role=role).delete()
    return bool(deleted)


# --- the kickoff -------------------------------------------------------------------------------


def schedule_kickoff(cycle_id, *, actor, **fields):
    """The cycle's kickoff, a program event of the events engine (registration, invitations and
    reminders are the engine's). One per cycle: refused when it has one."""
    from belong.events import actions as event_actions
    from belong.events.models import Event

    access.coordinator_or_403(actor)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        if cycle.kickoff_id is not None:
            raise Refused(_("This cycle has its kickoff already: change it instead."), status=409)
        event = event_actions.create_event(actor=actor, kind=Event.Kind.PROGRAM, **fields)
        cycle.kickoff = event
        cycle.save(update_fields=["kickoff"])
    return event


def update_kickoff(cycle_id, *, actor, **changes):
    """Change the cycle's kickoff through the events engine (a change of time or place tells
    everyone registered or waiting): returns the event and whoever was promoted from the
    waitlist."""
    from belong.events import actions as event_actions

    access.coordinator_or_403(actor)
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None or cycle.kickoff_id is None:
        raise Refused(_("This cycle has no kickoff yet: schedule it first."), status=404)
    return event_actions.update_event(cycle.kickoff_id, actor=actor, **changes)
