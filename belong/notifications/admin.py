from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Failures are visible here; "retry" puts a failed message back in line."""

    list_display = ["created_at", "recipient", "subject_shown", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["to_email", "subject", "key"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]
    actions = ["retry"]
    # A private message (an announcement of a collective, ...) would tell whom it went to and
    # what it said: only its delivery state is shown, and searches never find it.
    PRIVATE_FIELDS = ["status", "attempts", "last_error", "created_at", "sent_at", "private"]
    # A message whose text opens an account (a password reset link) is the person's alone: it
    # is shown like a private one, so that no administrator can read the link and sign in.
    SECRET_KEYS = ("password-reset:",)

    @classmethod
    def hidden(cls, obj):
        return obj.private or obj.key.startswith(cls.SECRET_KEYS)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("to"))
    def recipient(self, obj):
        return _("(private)") if self.hidden(obj) else obj.to_email

    @admin.display(description=_("subject"))
    def subject_shown(self, obj):
        return _("(private)") if self.hidden(obj) else obj.subject

    def get_fields(self, request, obj=None):
        if obj is not None and self.hidden(obj):
            return self.PRIVATE_FIELDS
        return super().get_fields(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        # The list's own filter only: a lookup such as ?key__startswith= or ?body_text__contains=
        # would read a hidden message (a reset link's token, a private text) one letter at a time.
        return lookup.split("__", 1)[0] in self.list_filter and super().lookup_allowed(
            lookup, value, request
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset = queryset.exclude(private=True).exclude(key__startswith=self.SECRET_KEYS[0])
        return queryset, may_have_duplicates

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
