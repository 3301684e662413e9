from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from belong.lib.models import OrderedText, SingletonPage
from belong.mentorship import choices


class Program(SingletonPage):
    """The GME DEI Advisory Group Mentorship Program page: welcome, mission and commitments."""

    name = models.CharField(_("name"), max_length=200)
    welcome = models.TextField(_("welcome"))
    mission_intro = models.TextField(
        _("mission introduction"), help_text=_("The sentence that leads into the commitments.")
    )

    class Meta:
        verbose_name = _("mentorship program")
        verbose_name_plural = _("mentorship program")

    def __str__(self):
        return self.name


class ProgramCommitment(OrderedText):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="commitments")

    class Meta(OrderedText.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")


class Cycle(models.Model):
    """One academic year of the mentorship program: people enrol during its window, the
    coordinator matches them on (or after) the matching date, then the pairs meet."""

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal: the best total for the whole pool")
        STABLE = "stable", _("Stable: no two people who would both rather be together")

    title = models.CharField(_("title"), max_length=200)
    academic_year = models.CharField(
        _("academic year"), max_length=9, unique=True, help_text=_("For example 2026-2027.")
    )
    enrolment_opens_on = models.DateField(_("enrolment opens on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    matching_on = models.DateField(_("matching date"))
    kickoff = models.OneToOneField(
        "events.Event",
        verbose_name=_("kickoff event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorship_cycle",
    )
    mode = models.CharField(
        _("matching mode"), max_length=10, choices=Mode.choices, default=Mode.OPTIMAL
    )
    min_score = models.DecimalField(
        _("minimum score"),
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text=_("A pair scoring less is left unmatched rather than badly matched."),
    )
    published_at = models.DateTimeField(_("matches published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enrolment_opens_on", "-pk"]
        verbose_name = _("mentorship cycle")
        verbose_name_plural = _("mentorship cycles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enrolment_closes_on__gte=models.F("enrolment_opens_on")),
                name="cycle_enrolment_window_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(matching_on__gte=models.F("enrolment_closes_on")),
                name="cycle_matching_after_enrolment",
            ),
        ]

    def __str__(self):
        return self.title

    def enrolment_open(self, today) -> bool:
        return (
            self.published_at is None
            and self.enrolment_opens_on <= today <= self.enrolment_closes_on
        )


class Enrollment(models.Model):
    """A person's answers for one cycle, as a mentee or as a mentor. What they chose to share is
    used for matching only: the answers are shown to the person and to the coordinator; the
    people they must not be matched with are shown to nobody but them and the coordinator."""

    class Role(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_enrollments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    program = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("program or department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    training_level = models.CharField(
        _("training level"), max_length=12, choices=choices.TRAINING_LEVEL_CHOICES
    )
    career_interests = models.JSONField(_("career interests"), default=list, blank=True)
    dei_interests = models.JSONField(_("DEI interests"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    meeting = models.JSONField(_("meeting preference"), default=list, blank=True)
    campus = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "campus"},
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("how many mentees"), default=0)
    weights = models.JSONField(_("what matters"), default=dict, blank=True)
    hopes = models.TextField(_("what you hope for"), blank=True)
    preferred = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentors you would like"),
        blank=True,
        related_name="+",
    )
    excluded = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people you must not be matched with"),
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "role", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "person", "role"], name="one_enrollment_per_role"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    role="mentor", capacity__gte=1, capacity__lte=choices.MAX_MENTOR_CAPACITY
                )
                | models.Q(role="mentee", capacity=0),
                name="enrollment_capacity_by_role",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.cycle})"

    @property
    def seniority(self) -> int:
        return choices.SENIORITY.get(self.training_level, 0)
