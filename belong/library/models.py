import calendar
import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Policy(models.Model):
    """A policy document with versions and a review cadence (the diversity statement)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12
    )
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("What the policy says about its own review.")
    )
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("library:policy", args=[self.slug])

    @property
    def next_review_due(self):
        if self.last_reviewed_on is None:
            return None
        return add_months(self.last_reviewed_on, self.review_interval_months)

    def is_review_overdue(self, today=None):
        due = self.next_review_due
        return due is not None and due < (today or timezone.localdate())


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), help_text=_("Paragraphs separated by a blank line."))
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "number"], name="one_number_per_policy_version"
            ),
        ]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self):
        return f"{self.policy} v{self.number}"
