from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """Every email is a row first, written in the transaction of the change that causes it, then
    delivered by a task with retries. `key` makes queuing and delivery idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed; gave up")

    key = models.CharField(max_length=200, unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"), blank=True)
    ics = models.TextField(_("calendar invite"), blank=True)
    ics_method = models.CharField(max_length=20, blank=True)
    private = models.BooleanField(
        _("private"),
        default=False,
        help_text=_(
            "Its content would tell something private about its recipient (such as a "
            "collective's announcement): administrators see its delivery state only, and its "
            "subject and text are erased once it is sent."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbox")

    def __str__(self):
        if self.private:  # the admin prints this in titles and checkbox labels
            return f"private message {self.pk} ({self.status})"
        return f"{self.subject} → {self.to_email} ({self.status})"
