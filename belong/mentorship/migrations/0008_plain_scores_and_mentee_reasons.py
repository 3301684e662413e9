"""What anyone but the mentee sees of a pair no longer depends on identity (issue 14): a
proposal's and a match's `score` and `reasons` are kept without the identity factor, and the
mentee's own reasons apart (`mentee_reasons`).

Rows stored before: the reasons already hold no identity reason (0007), so they are copied as
the mentee's. Their scores may include identity points; in every cycle where a mentee asked for
a mentor sharing an aspect of identity, each stored score is recomputed without the identity
factor from the enrolments as they are now (the engine's `plain_score`; no sealed answer is
read), and each run's total with it. A run whose enrolments changed since cannot be published
anyway (matchmaking.publish refuses it). A match made by hand (score 0, no reasons) stays so."""

from django.db import migrations, models

from belong.mentorship import matching
from belong.mentorship.actions.matchmaking import _department_key, _program_key  # fields only


def _profile(e):
    return {
        "id": e.person_id,
        "seniority": 0,  # scores do not read it
        "program": _program_key(e),
        "department": _department_key(e),
        "career_interests": frozenset(e.career_interests),
        "dei_interests": frozenset(e.dei_interests),
        "languages": frozenset(e.languages),
        "meeting": frozenset(e.meeting),
        "campus": f"unit:{e.campus_id}" if e.campus_id else "",
        "availability": frozenset(e.availability),
    }


def _plain_score(mentee, mentor):
    weights = {
        factor: float(weight)
        for factor, weight in (mentee.weights or {}).items()
        if factor in matching.FACTORS and factor != "identity"
    }
    return matching.plain_score(
        matching.Mentee(
            **_profile(mentee),
            weights=weights,
            preferred=frozenset(p.pk for p in mentee.preferred.all()),
        ),
        matching.Mentor(**_profile(mentor)),
    )


def forward(apps, schema_editor):
    Enrollment = apps.get_model("mentorship", "Enrollment")
    MatchingRun = apps.get_model("mentorship", "MatchingRun")
    Proposal = apps.get_model("mentorship", "Proposal")
    Match = apps.get_model("mentorship", "Match")
    for model in (Proposal, Match):
        for row in model.objects.only("pk", "reasons").iterator():
            model.objects.filter(pk=row.pk).update(mentee_reasons=row.reasons or [])
    cycles = set()
    for e in Enrollment.objects.filter(role="mentee", identity_weight__gt=0).only(
        "cycle_id", "shared_identity"
    ):
        if e.shared_identity:
            cycles.add(e.cycle_id)
    related = ("mentee__program", "mentor__program")
    for run in MatchingRun.objects.filter(cycle_id__in=cycles):
        total = 0.0
        for proposal in Proposal.objects.filter(run=run).select_related(*related):
            score = _plain_score(proposal.mentee, proposal.mentor)
            total += score
            Proposal.objects.filter(pk=proposal.pk).update(score=score)
        MatchingRun.objects.filter(pk=run.pk).update(total_score=round(total, 4))
    for match in Match.objects.filter(cycle_id__in=cycles).select_related(*related):
        if match.score == 0 and not match.reasons:
            continue  # made by hand
        Match.objects.filter(pk=match.pk).update(score=_plain_score(match.mentee, match.mentor))


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0007_identity_reason_withheld"),
    ]

    operations = [
        migrations.AddField(
            model_name="match",
            name="mentee_reasons",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="proposal",
            name="mentee_reasons",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
