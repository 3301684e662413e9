"""Matching a cycle: the enrolments turned into the engine's plain data
(belong.mentorship.matching), a run kept with its proposals, the coordinator's pins and
exclusions, and publishing, which introduces each pair by email. The engine knows nothing of
Django; this module knows nothing of scoring.

People are the engine's ids (a person may enrol both as a mentee and as a mentor; the engine
never matches someone with themselves). What a person named as "must not be matched with" is an
exclusion on their side; the coordinator's exclusions are `forbidden`, their pins `pinned`.
Identity reaches the engine only as "question:answer" aspects (belong.people.identity), only
for a mentee who asked for a mentor sharing one and for mentors, only while each person's consent
to mentorship matching stands, and only for the questions mentees asked about (`identities`);
a pair whose mentee or mentor lacks it simply has no identity factor."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.mentorship import access, choices, matching
from belong.mentorship.actions.cycles import Refused
from belong.mentorship.models import Cycle, Enrollment, Match, MatchingRun, PairRule, Proposal
from belong.notifications import outbox
from belong.people import identity, privacy
from belong.people.actions import audit
from belong.people.models import Consent


def _program_key(enrollment):
    if enrollment.program_id:
        return f"unit:{enrollment.program_id}"
    return f"specialty:{enrollment.specialty.casefold()}" if enrollment.specialty else ""


def _department_key(enrollment):
    unit = enrollment.program
    if unit is None:
        return ""
    if unit.kind == "department":
        return f"unit:{unit.pk}"
    return f"unit:{unit.parent_id}" if unit.parent_id else ""


def _profile(enrollment):
    return {
        "id": enrollment.person_id,
        "seniority": enrollment.seniority,
        "program": _program_key(enrollment),
        "department": _department_key(enrollment),
        "career_interests": frozenset(enrollment.career_interests),
        "dei_interests": frozenset(enrollment.dei_interests),
        "languages": frozenset(enrollment.languages),
        "meeting": frozenset(enrollment.meeting),
        "campus": f"unit:{enrollment.campus_id}" if enrollment.campus_id else "",
        "availability": frozenset(enrollment.availability),
    }


def enrolled(cycle):
    """(mentees, mentors): the cycle's enrolments by person id, with what the engine needs."""
    rows = (
        Enrollment.objects.filter(cycle=cycle)
        .select_related("person", "program", "campus")
        .prefetch_related("preferred", "excluded")
        .order_by("pk")
    )
    mentees: dict[int, Enrollment] = {}
    mentors: dict[int, Enrollment] = {}
    for enrollment in rows:
        (mentors if enrollment.role == Enrollment.Role.MENTOR else mentees)[
            enrollment.person_id
        ] = enrollment
    return mentees, mentors


def identities(cycle, mentees, mentors, *, actor):
    """{person id: aspects of identity the engine may compare}, read only if some mentee asked
    for a mentor who shares one, only for the questions mentees asked about, and only for the
    people whose consent to mentorship matching stands now (privacy.read_for audits the read)."""
    asked = sorted({key for e in mentees.values() for key in e.shared_identity})
    if not asked:
        return {}
    wanting = [pid for pid, e in mentees.items() if e.shared_identity]
    answers = privacy.read_for(
        Consent.Purpose.MATCHING,
        [*wanting, *mentors],
        actor=actor,
        why="mentorship matching",
        obj=cycle,
    )
    aspects = {}
    for pid, person_answers in answers.items():
        keys = mentees[pid].shared_identity if pid in mentees else asked
        aspects[pid] = identity.matching_aspects(person_answers, keys)
    return aspects


def engine_input(cycle, mentees, mentors, *, aspects=None):
    """The engine's mentees and mentors, and the coordinator's pins and exclusions. `aspects`
    (from `identities`) holds the only identity the engine sees: a mentee without any there
    (no consent, no answer, no wish) has no identity factor at all."""
    aspects = aspects or {}
    mentor_ids, mentee_ids = set(mentors), set(mentees)
    engine_mentees = []
    for e in mentees.values():
        mine = aspects.get(e.person_id, frozenset())
        engine_mentees.append(
            matching.Mentee(
                **_profile(e),
                identity=mine,
                wants_shared_identity=bool(mine),
                weights={
                    **{f: float(w) for f, w in e.weights.items()},
                    "identity": float(e.identity_weight) if mine else 0.0,
                },
                preferred=frozenset(p.pk for p in e.preferred.all()) & mentor_ids,
                excluded=frozenset(p.pk for p in e.excluded.all()) & mentor_ids,
            )
        )
    engine_mentors = [
        matching.Mentor(
            **_profile(e),
            identity=aspects.get(e.person_id, frozenset()),
            capacity=e.capacity,
            excluded=frozenset(p.pk for p in e.excluded.all()) & mentee_ids,
        )
        for e in mentors.values()
    ]
    pinned: list[tuple[int, int]] = []
    forbidden: list[tuple[int, int]] = []
    for rule in PairRule.objects.filter(cycle=cycle).select_related("mentee", "mentor"):
        pair = (rule.mentee.person_id, rule.mentor.person_id)
        (pinned if rule.kind == PairRule.Kind.PIN else forbidden).append(pair)
    return engine_mentees, engine_mentors, pinned, forbidden


def _reasons(reasons):
    return [
        {"factor": r.factor, "shared": list(r.shared), "points": round(r.points, 2)}
        for r in reasons
    ]


def run(cycle_id, *, actor) -> MatchingRun:
    """Run the engine over the cycle as it is now (answers, pins and exclusions) and keep the
    run. Refused once the cycle's matches are published, or when a pin breaks a rule."""
    access.coordinator_or_403(actor)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        if cycle.published_at is not None:
            raise Refused(_("This cycle's matches are published already."), status=409)
        mentees, mentors = enrolled(cycle)
        try:
            engine_mentees, engine_mentors, pinned, forbidden = engine_input(
                cycle, mentees, mentors, aspects=identities(cycle, mentees, mentors, actor=actor)
            )
            result = matching.match(
                engine_mentees,
                engine_mentors,
                mode=cycle.mode,
                min_score=float(cycle.min_score),
                pinned=pinned,
                forbidden=forbidden,
            )
        except ValueError as error:
            raise Refused(
                _("The matching cannot run on these answers and pairs: %(error)s")
                % {"error": error},
                status=409,
            ) from None
        matching_run = MatchingRun.objects.create(
            cycle=cycle,
            mode=cycle.mode,
            min_score=cycle.min_score,
            # Only what anyone but the mentee may see is kept: scores and reasons without the
            # identity factor (the run's choice of pairs is the only thing identity moved).
            total_score=result.plain_total,
            unmatched=[{"mentee": mentees[u.mentee_id].pk, "why": u.why} for u in result.unmatched],
            created_by=actor,
        )
        Proposal.objects.bulk_create(
            Proposal(
                run=matching_run,
                mentee=mentees[m.mentee_id],
                mentor=mentors[m.mentor_id],
                score=m.plain_score,
                reasons=_reasons(m.plain_reasons),
                mentee_reasons=_reasons(m.reasons),
                pinned=m.pinned,
            )
            for m in result.matches
        )
        audit(
            actor=actor,
            verb="mentorship.matching_run",
            obj=cycle,
            matched=len(result.matches),
            unmatched=len(result.unmatched),
        )
    return matching_run


def latest_run(cycle):
    return MatchingRun.objects.filter(cycle=cycle).order_by("-created_at", "-pk").first()


def refuse_own_pair(actor, mentee, mentor):
    """A coordinator who is enrolled decides no pair they are part of (pin, exclude, rematch):
    another coordinator does."""
    if actor is not None and actor.pk in (mentee.person_id, mentor.person_id):
        raise Refused(
            _("You are part of this pair: another coordinator decides it."),
            field="pair",
            status=403,
        )


@transaction.atomic
def set_rule(cycle_id, *, actor, mentee_id, mentor_id, kind) -> PairRule | None:
    """Pin or exclude a pair of the cycle (enrolment ids), or clear its rule (`kind` None)."""
    access.coordinator_or_403(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.published_at is not None:
        raise Refused(_("This cycle's matches are published already."), status=409)
    mentee = Enrollment.objects.filter(
        pk=mentee_id, cycle=cycle, role=Enrollment.Role.MENTEE
    ).first()
    mentor = Enrollment.objects.filter(
        pk=mentor_id, cycle=cycle, role=Enrollment.Role.MENTOR
    ).first()
    if mentee is None or mentor is None:
        raise Refused(_("Choose a mentee and a mentor enrolled in this cycle."), field="pair")
    refuse_own_pair(actor, mentee, mentor)
    if kind is None:
        PairRule.objects.filter(mentee=mentee, mentor=mentor).delete()
        audit(actor=actor, verb="mentorship.pair_rule_cleared", obj=cycle)
        return None
    if kind not in PairRule.Kind.values:
        raise Refused(_("Pin the pair or exclude it."), field="kind")
    if kind == PairRule.Kind.PIN:
        # A mentee has one mentor: a new pin replaces the mentee's other pins.
        PairRule.objects.filter(cycle=cycle, mentee=mentee, kind=PairRule.Kind.PIN).exclude(
            mentor=mentor
        ).delete()
    rule, _created = PairRule.objects.update_or_create(
        mentee=mentee, mentor=mentor, defaults={"cycle": cycle, "kind": kind, "created_by": actor}
    )
    audit(actor=actor, verb=f"mentorship.pair_{kind}", obj=cycle)
    return rule


def publish(cycle_id, *, actor, run_id, now=None) -> list[Match]:
    """Publish the proposals of the cycle's latest run (`run_id`, so that a coordinator never
    publishes a run other than the one they reviewed): a match per pair, each person introduced
    to the other by email. Publishing ends enrolment. Refused when a newer run exists, or when
    answers, pins or exclusions changed after the run."""
    access.coordinator_or_403(actor)
    now = now or timezone.now()
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        if cycle.published_at is not None:
            raise Refused(_("This cycle's matches are published already."), status=409)
        latest = latest_run(cycle)
        if latest is None or latest.pk != run_id:
            raise Refused(
                _("There is a newer run than the one you reviewed: review it, then publish."),
                status=409,
            )
        changed = Enrollment.objects.filter(cycle=cycle, updated_at__gt=latest.created_at)
        ruled = PairRule.objects.filter(cycle=cycle, created_at__gt=latest.created_at)
        # A consent revoked (or an answer changed) after the run: the run may have used what
        # may no longer be used.
        people = Enrollment.objects.filter(cycle=cycle).values_list("person_id", flat=True)
        consented = privacy.changed_since(Consent.Purpose.MATCHING, people, latest.created_at)
        if changed.exists() or ruled.exists() or consented:
            raise Refused(
                _("Answers or pairs changed after this run: run the matching again."),
                status=409,
            )
        proposals = list(
            latest.proposals.select_related("mentee__person", "mentor__person").order_by("pk")
        )
        matches = Match.objects.bulk_create(
            Match(
                cycle=cycle,
                mentee=p.mentee,
                mentor=p.mentor,
                score=p.score,
                reasons=p.reasons,
                mentee_reasons=p.mentee_reasons,
                published_at=now,
            )
            for p in proposals
        )
        cycle.published_at = now
        if cycle.enrolment_closes_on >= timezone.localdate(now):
            cycle.enrolment_closes_on = max(
                cycle.enrolment_opens_on, timezone.localdate(now) - datetime.timedelta(days=1)
            )
        cycle.save(update_fields=["published_at", "enrolment_closes_on"])
        for match in matches:
            introduce(match)
        audit(actor=actor, verb="mentorship.published", obj=cycle, matches=len(matches))
    return matches


def introduce(match):
    """Each person of a new pair learns who the other is and why they were matched."""
    mentee, mentor = match.mentee.person, match.mentor.person
    for person, other, role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
        outbox.queue(
            key=f"mentorship:introduction:{match.pk}:{person.pk}",
            to_email=person.email,
            person=person,
            template="mentorship/email/introduction",
            context={
                "person": person,
                "other": other,
                "role": role,
                "cycle": match.cycle,
                "reasons": reason_words(match.reasons_for(person)),
            },
            private=True,
        )


# --- reasons in words --------------------------------------------------------------------------


def _joined(labels):
    labels = [str(label).lower() for label in labels]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(most)s and %(last)s") % {"most": ", ".join(labels[:-1]), "last": labels[-1]}


def reason_words(reasons) -> list[str]:
    """The stored reasons of a pair as short phrases in the current language."""
    words = []
    for reason in reasons:
        factor = reason["factor"]
        shared = choices.labels(choices.VOCABULARIES.get(factor, []), reason.get("shared", []))
        if factor == "program":
            words.append(_("same program or specialty"))
        elif factor == "department":
            words.append(_("same department"))
        elif factor == "campus":
            words.append(_("same campus"))
        elif factor == "career":
            words.append(_("both interested in %(things)s") % {"things": _joined(shared)})
        elif factor == "dei":
            words.append(_("both work on %(things)s") % {"things": _joined(shared)})
        elif factor == "languages":
            words.append(_("both speak %(things)s") % {"things": _joined(shared)})
        elif factor == "meeting":
            words.append(_("both like to meet: %(things)s") % {"things": _joined(shared)})
        elif factor == "availability":
            words.append(_("both available: %(things)s") % {"things": _joined(shared)})
        elif factor == "identity":
            words.append(_("share an aspect of identity they chose to share for matching"))
        else:
            words.append(factor)
    return words
