import calendar
import datetime

from django.conf import settings
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
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("steward"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stewarded_policies",
        help_text=_(
            "The person reminded to review it (before it is due, and while it is overdue). "
            "Without one, the DEI administrators are."
        ),
    )
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
    def review_counted_from(self):
        """The last review, or, before any, the day the current version took effect (or was
        written)."""
        if self.last_reviewed_on is not None:
            return self.last_reviewed_on
        # .all() so that a list page's prefetch_related("versions") serves it.
        version = max(self.versions.all(), key=lambda v: v.number, default=None)
        if version is None:
            return None
        return version.effective_on or timezone.localdate(version.created_at)

    @property
    def next_review_due(self):
        start = self.review_counted_from
        if start is None:
            return None
        return add_months(start, self.review_interval_months)

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


class PolicyReview(models.Model):
    """A review of a policy: found current as it is, or replaced by a new version."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", _("Current as it is")
        NEW_VERSION = "new_version", _("Replaced by a new version")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["policy", "-reviewed_on", "-pk"]
        verbose_name = _("policy review")
        verbose_name_plural = _("policy reviews")

    def __str__(self):
        return f"{self.policy} reviewed {self.reviewed_on}"


def resource_upload_to(instance, filename):
    import secrets

    return f"resources/{secrets.token_hex(8)}/{filename}"


class Resource(models.Model):
    """A best practice for the clearinghouse: a link or a file, with a summary and tags.
    Anyone signed in suggests one; a coordinator publishes it (or declines it)."""

    class Tag(models.TextChoices):
        RECRUITING = "recruiting", _("Recruiting for diversity")
        HOLISTIC_REVIEW = "holistic_review", _("Holistic review")
        INTERVIEWING = "interviewing", _("Interviewing")
        RETENTION = "retention", _("Retention")
        MENTORING = "mentoring", _("Mentoring")
        PATHWAYS = "pathways", _("Pathway programs")
        CLIMATE = "climate", _("Inclusive climate")
        DATA = "data", _("Data and evaluation")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a coordinator")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    link = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=resource_upload_to, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    tags = models.JSONField(_("tags"), default=list)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title

    def tag_labels(self):
        names = dict(self.Tag.choices)
        return [names[tag] for tag in self.tags if tag in names]
