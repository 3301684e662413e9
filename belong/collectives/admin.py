from django.contrib import admin

from belong.collectives.models import (
    Collective,
    CollectivesPage,
    Commitment,
    FocusArea,
    LeaderRole,
)
from belong.lib.admin_delete import UncountedDeletionAdmin


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


class LeaderRoleInline(admin.TabularInline):
    """Shown, never edited here: leaders are named on the collective's leaders page
    (/collectives/<slug>/manage/leaders/), which audits each appointment and refuses a DEI
    administrator naming themselves (a leader sees the collective's members)."""

    model = LeaderRole
    extra = 0
    fields = readonly_fields = ["person", "title", "other_title", "starts_on", "ends_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Collective)
class CollectiveAdmin(UncountedDeletionAdmin, admin.ModelAdmin):
    # Who belongs and who shared an experience are the leaders' to see, not an administrator's:
    # the page asking to delete a collective names these rows and counts none of them.
    uncounted = ("collectives.membership", "collectives.membershipcount", "collectives.experience")
    list_display = ["name", "name_to_confirm", "is_active", "order"]
    list_filter = ["name_to_confirm", "is_active", "focus_areas"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["focus_areas"]
    inlines = [CommitmentInline, LeaderRoleInline]
    # Set on the collective's page (/collectives/<slug>/manage/page/), where it is checked and
    # drawn anew (belong.lib.images); the admin takes no uploads (belong.lib.request_limits).
    readonly_fields = ["image"]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CollectivesPage)
class CollectivesPageAdmin(admin.ModelAdmin):
    list_display = ["title"]
