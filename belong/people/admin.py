from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from belong.people.models import ApiToken, AuditEvent, OrgUnit, Person


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "preferred_name", "kind", "org_unit", "is_active"]
    list_filter = ["kind", "is_active", "is_staff", "groups"]
    search_fields = ["email", "full_name", "preferred_name"]
    autocomplete_fields = ["org_unit"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Name"),
            {
                "fields": [
                    "full_name",
                    "preferred_name",
                    "pronouns",
                    "name_pronunciation",
                    "credentials",
                ]
            },
        ),
        (
            _("Organization"),
            {"fields": ["kind", "org_unit", "campus", "language", "email_announcements"]},
        ),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "person", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["person", "hint", "digest", "created_at", "last_used_at"]
    search_fields = ["person__email", "name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "object_type", "object_id"]
    list_filter = ["verb"]
    readonly_fields = ["at", "actor", "verb", "object_type", "object_id", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
