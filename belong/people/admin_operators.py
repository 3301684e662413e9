"""An admin only operators see, and only read (SCIM tokens, roster imports' reports)."""

from django.contrib import admin

from belong.people import access


class OperatorsReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return access.is_operator(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_operator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
