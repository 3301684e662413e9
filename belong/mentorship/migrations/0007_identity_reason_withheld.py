"""Reasons already stored that say "a shared aspect of identity" lose that reason: told to a
mentee who asked about one aspect (or to a mentor with one answer on the mentee's questions),
it gave away the other's answer (belong.mentorship.matching, "Reasons"). Whether a stored pair
had two aspects in play on each side cannot be known without reading sealed answers, so every
stored identity reason goes; runs from now on give it only where it tells no answer. The other
reasons stay (a pair may be left with two reasons instead of three)."""

from django.db import migrations


def withhold(apps, schema_editor):
    for name in ("Proposal", "Match"):
        model = apps.get_model("mentorship", name)
        # In Python: SQLite has no JSON containment lookup.
        for row in model.objects.only("pk", "reasons").iterator():
            kept = [r for r in row.reasons or [] if r.get("factor") != "identity"]
            if kept != (row.reasons or []):
                model.objects.filter(pk=row.pk).update(reasons=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0006_shared_identity"),
    ]

    operations = [
        migrations.RunPython(withhold, migrations.RunPython.noop),
    ]
