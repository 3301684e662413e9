from django.contrib import admin, messages
from django.utils import timezone

from belong.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Failures are visible here; "retry" puts a failed message back in line."""

    list_display = ["created_at", "to_email", "subject", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["to_email", "subject", "key"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry delivery now")
    def retry(self, request, queryset):
        from belong.notifications.outbox import _enqueue

        ids = list(
            queryset.exclude(status=OutboundMessage.Status.SENT).values_list("pk", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=ids).update(
            status=OutboundMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for message_id in ids:
            _enqueue(message_id)
        messages.info(request, f"{len(ids)} message(s) queued again.")
