"""SCIM tokens in the admin: read-only, for operators only (the name, the last characters of
the secret, when it was made, last used and revoked; never the digest). Tokens are made and
revoked with `manage.py scim_token` (audited there)."""

from django.contrib import admin

from belong.people import access
from belong.people.models import ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "hint", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "hint", "created_at", "last_used_at", "revoked_at"]

    def _operator(self, request):
        return access.is_operator(request.user)

    def has_module_permission(self, request):
        return self._operator(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
