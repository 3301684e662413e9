"""How many members and allies an announcement was emailed to is no longer kept: it was a raw
count of people shown on staff screens (belong.collectives.actions.announcements)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("collectives", "0004_collective_image_public_storage"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="announcement",
            name="emailed_count",
        ),
    ]
