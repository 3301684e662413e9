from django.contrib import admin

from belong.events import access
from belong.events.models import Event, Registration, Series
from belong.lib.admin_autocomplete import SafeAutocompleteAdmin
from belong.lib.admin_changelist import SafeChangeListAdmin
from belong.lib.admin_delete import UncountedDeletionAdmin
from belong.lib.dates import BoundedDatesAdmin
from belong.people.access import is_operator


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RegistrationInline(SafeAutocompleteAdmin, BoundedDatesAdmin, admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Event)
class EventAdmin(UncountedDeletionAdmin, SafeChangeListAdmin, BoundedDatesAdmin, admin.ModelAdmin):
    # A session's anonymous evaluations (training's, by label: events imports no app above it)
    # are counted only once published, with enough answers: the page asking to delete the
    # session counts none of them.
    uncounted = ("training.evaluation", "training.objectiverating")
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

    def get_queryset(self, request):
        # Only the events the person runs by role (belong.events.access.admin_events): not a
        # members-only event, nor a collective's for a training coordinator.
        return access.admin_events(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # What decides who runs the event is set where it is made, never here but by operators:
        # a facilitator, a kind or a host named here would open its roster.
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_operator(request.user):
            readonly += [name for name in access.ADMIN_OPERATOR_FIELDS if name not in readonly]
        return readonly

    def get_inlines(self, request, obj):
        # Registrations for a members-only event would show who belongs to its hosts.
        if obj is not None and obj.visibility == Event.Visibility.MEMBERS:
            return []
        return super().get_inlines(request, obj)
