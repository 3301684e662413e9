from django.contrib import admin

from belong.events.models import Event, Registration, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "start",
        "format",
        "capacity",
        "minimum",
        "status",
        "visibility",
    ]
    list_filter = ["kind", "status", "visibility", "format", "series"]
    search_fields = ["title"]
    date_hierarchy = "start"
    inlines = [RegistrationInline]

    def get_inlines(self, request, obj):
        # Registrations for a members-only event would show who belongs to its hosts.
        if obj is not None and obj.visibility == Event.Visibility.MEMBERS:
            return []
        return super().get_inlines(request, obj)
