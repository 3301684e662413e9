"""The roster imports' reports in the admin: read-only, for operators only (they name people
and what changed about them; no other staff role sees them, even with admin access)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from belong.people import roster
from belong.people.admin_operators import OperatorsReadOnlyAdmin
from belong.people.models import RosterImport


@admin.register(RosterImport)
class RosterImportAdmin(OperatorsReadOnlyAdmin):
    list_display = ["file_name", "outcome", "started_at", "finished_at"]
    list_filter = ["outcome"]
    FIELDS = ["file_name", "outcome", "digest", "started_at", "finished_at", "readable_report"]
    fields = FIELDS
    readonly_fields = FIELDS

    @admin.display(description=_("report"))
    def readable_report(self, obj):
        return format_html("<pre>{}</pre>", roster.readable(obj.report or {}))
