from django.db import migrations

ROLE_NAMES = [
    "Facilitator",
    "Training coordinator",
    "Mentorship coordinator",
    "DEI administrator",
    "Analyst",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
