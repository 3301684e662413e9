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


class Release(models.Model):
    """A release: every figure about people as of one moment, protected together
    (belong.insights.cutting). Pages, downloads and the API serve the latest one; nothing about
    people moves between two releases. Scheduled releases are unique per period, so two
    schedulers cut one."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        MANUAL = "manual", _("Cut by a DEI administrator")
        OPERATOR = "operator", _("Cut by an operator")

    number = models.PositiveIntegerField(_("number"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The schedule's period a scheduled release stands for ("2026-12", or "every-30:681").
    period = models.CharField(max_length=40, blank=True)
    as_of = models.DateField(_("as of"))
    cut_at = models.DateTimeField(_("cut at"), default=timezone.now)
    cut_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cut by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The engine's settings it was cut with (threshold, max_noise, min_changes, protection).
    engine_settings = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(kind="scheduled"),
                name="one_scheduled_release_per_period",
            )
        ]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self):
        return f"{self.number} ({self.as_of})"


class ReleaseTopic(models.Model):
    """What one release publishes of one topic: `published` (the engine's figures, served as
    they are), `meta` (labels of its rows as of the cut and facts not about people, such as
    sessions held) and `state` (what the engine needs next time: per-unit digests, as sensitive
    as the answers; sealed with the identity keys; emptied once a later release is cut)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=60)
    published = models.JSONField(default=dict)
    meta = models.JSONField(default=dict)
    state = models.TextField(blank=True)
    built_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "topic"], name="one_topic_per_release")
        ]

    def __str__(self):
        return f"{self.release_id}: {self.topic}"


class RecordKey(models.Model):
    """A person's record key (0 <= key < 2**32): random, secret, never shown; the cell key of a
    figure is the sum of its people's record keys (belong.lib.releases). Made on first need,
    erased with the person's personal data."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.BigIntegerField()
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"record key of {self.person_id}"
