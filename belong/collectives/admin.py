from django.contrib import admin

from belong.collectives.models import (
    Collective,
    CollectivesPage,
    Commitment,
    FocusArea,
    LeaderRole,
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
    # Set on the collective's page (/collectives/<slug>/manage/page/), where it is checked and
    # drawn anew (belong.lib.images); the admin takes no uploads (belong.lib.request_limits).
    readonly_fields = ["image"]
