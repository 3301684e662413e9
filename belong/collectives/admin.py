from django.contrib import admin

from belong.collectives.models import (
    Collective,
    CollectivesPage,
    Commitment,
    FocusArea,
    LeaderRole,
    Membership,
)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


class LeaderRoleInline(admin.TabularInline):
    model = LeaderRole
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "name_to_confirm", "is_active", "order"]
    list_filter = ["name_to_confirm", "is_active", "focus_areas"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["focus_areas"]
    inlines = [CommitmentInline, LeaderRoleInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CollectivesPage)
class CollectivesPageAdmin(admin.ModelAdmin):
    list_display = ["title"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Memberships are private by default; the admin shows counts per collective, not names."""

    list_display = ["collective", "kind", "visibility", "joined_at"]
    list_filter = ["collective", "kind", "visibility"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
