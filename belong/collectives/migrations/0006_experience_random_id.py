"""An experience's id becomes random (a version 4 UUID): the sequential id it shared with named
experiences told leaders the order of sharing (belong.collectives.models.Experience).

The rows move to a new table with a random id each, and the new table takes the old one's name.
(Changing the primary key in place would need a moment with no primary key, which Django's
migration state does not allow, and PostgreSQL cannot cast an integer to a UUID.) Nothing refers
to an experience by its id except addresses and the audit log: its entries about an experience
(hidden, published, unpublished) are given the new id, so that they still name the right one
and no old number is left to tell the order."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATES = [
    ("new", "New"),
    ("read", "Read"),
    ("published", "Published as a story"),
    ("hidden", "Hidden"),
]


FIELDS = [
    "collective_id",
    "text",
    "person_id",
    "consent_to_publish",
    "state",
    "shared_on",
    "published_on",
    "story_text",
]


LABEL = "collectives.experience"


def _renumber_audit(apps, new_ids):
    AuditEvent = apps.get_model("people", "AuditEvent")
    for old, new in new_ids.items():
        AuditEvent.objects.filter(object_type=LABEL, object_id=str(old)).update(object_id=str(new))


def move_rows(apps, schema_editor):
    """Each row gets a random id, taken in random order; the audit log follows."""
    Old = apps.get_model("collectives", "Experience")
    New = apps.get_model("collectives", "RandomExperience")
    new_ids = {}
    rows = []
    for old in Old.objects.order_by("?").iterator():
        new_ids[old.pk] = uuid.uuid4()
        rows.append(New(id=new_ids[old.pk], **{name: getattr(old, name) for name in FIELDS}))
    New.objects.bulk_create(rows, batch_size=500)
    _renumber_audit(apps, new_ids)


def move_rows_back(apps, schema_editor):
    """Back to sequential ids, numbered by day (a day's rows in the order of their random ids)."""
    Random = apps.get_model("collectives", "RandomExperience")
    Old = apps.get_model("collectives", "Experience")
    new_ids = {}
    for row in Random.objects.order_by("shared_on", "pk").iterator():
        new_ids[row.pk] = Old.objects.create(**{name: getattr(row, name) for name in FIELDS}).pk
    _renumber_audit(apps, new_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("collectives", "0005_announcement_no_recipient_count"),
        ("people", "0001_initial"),  # the audit log
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RandomExperience",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("text", models.TextField(verbose_name="your experience")),
                (
                    "consent_to_publish",
                    models.BooleanField(
                        default=False,
                        verbose_name="the leaders may publish it on the page as an anonymous story",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=STATES,
                        db_index=True,
                        default="new",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                ("shared_on", models.DateField(default=django.utils.timezone.localdate)),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "story_text",
                    models.TextField(
                        blank=True,
                        help_text="The text shown on the page; leaders may remove details that "
                        "identify.",
                        verbose_name="story as published",
                    ),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="collectives.collective",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when shared anonymously.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "experience",
                "verbose_name_plural": "experiences",
                "ordering": ["-shared_on", "pk"],
            },
        ),
        migrations.RunPython(move_rows, move_rows_back),
        migrations.DeleteModel(name="Experience"),
        migrations.RenameModel(old_name="RandomExperience", new_name="Experience"),
        migrations.AlterField(
            model_name="experience",
            name="collective",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="experiences",
                to="collectives.collective",
            ),
        ),
    ]
