"""Health-disparities initiatives: what an initiative targets, the metrics it tracks and their
dated observations, against a baseline and a target. A metric is a measure its lead enters or
imports (a rate, a share, a count of visits), not a count of Belong's people, so it is shown as
entered."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def plain(value) -> str:
    """A decimal as written, without trailing zeros ("48.2", "65")."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


class Initiative(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_initiatives",
    )
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disparity = models.TextField(_("the disparity it targets"))
    population = models.CharField(_("population"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title


class Metric(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: %, per 1,000."))
    direction = models.CharField(_("direction of good"), max_length=10, choices=Direction.choices)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        ordering = ["initiative", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "name"], name="one_metric_name_per_initiative"
            )
        ]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self):
        return self.name

    @property
    def baseline_shown(self):
        return plain(self.baseline)

    @property
    def target_shown(self):
        return plain(self.target)


class Observation(models.Model):
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    observed_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["metric", "observed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "observed_on"], name="one_observation_per_metric_and_day"
            )
        ]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self):
        return f"{self.metric_id} {self.observed_on}: {self.value}"

    @property
    def value_shown(self):
        return plain(self.value)
