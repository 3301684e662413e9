"""SCIM tokens in the admin: read-only, for operators only (the name, the last characters of
the secret, when it was made, last used and revoked; never the digest). Tokens are made and
revoked with `manage.py scim_token` (audited there)."""

from django.contrib import admin

from belong.people.admin_operators import OperatorsReadOnlyAdmin
from belong.people.models import ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(OperatorsReadOnlyAdmin):
    list_display = ["name", "hint", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "hint", "created_at", "last_used_at", "revoked_at"]
