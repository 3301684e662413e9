"""Model permissions of the organisation-wide roles, kept in step after every migrate.

DEI administrators edit the content and the organisation in the Django admin. Nobody's role
includes memberships or (later) self-identification: those are never browsed in the admin.
"""

from django.contrib.auth.models import Group, Permission

from belong.people import roles

EDITOR_MODELS = {
    "people": ["orgunit", "person"],
    "collectives": ["collective", "collectivespage", "commitment", "focusarea", "leaderrole"],
    "training": ["course", "learningobjective", "trainingpage", "contact"],
    "events": ["event", "series"],
    "mentorship": ["program", "programcommitment"],
    "library": ["policy", "policyversion"],
}

ROLE_MODELS = {
    roles.DEI_ADMINISTRATOR: EDITOR_MODELS,
    roles.TRAINING_COORDINATOR: {
        "training": EDITOR_MODELS["training"],
        "events": ["event", "series"],
    },
}


def sync_role_permissions(**kwargs):
    for role_name, models in ROLE_MODELS.items():
        group, _ = Group.objects.get_or_create(name=role_name)
        wanted = Permission.objects.filter(
            content_type__app_label__in=list(models),
        )
        wanted = [
            perm
            for perm in wanted.select_related("content_type")
            if perm.content_type.model in models.get(perm.content_type.app_label, [])
        ]
        group.permissions.add(*wanted)
