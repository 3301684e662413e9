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
