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
    mid_check_in_on = models.DateField(
        _("mid-cycle check-in from"),
        null=True,
        blank=True,
        help_text=_("From this day, each person of a pair is asked how it goes."),
    )
    end_check_in_on = models.DateField(_("end-of-cycle check-in from"), null=True, blank=True)
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
    # Mentees: the questions of self-identification (belong.people.identity) on which they would
    # like a mentor who answered alike, and how much that matters (0-3). Used only while both
    # people's consent to mentorship matching stands; the answers themselves never leave the
    # sealed row except into the engine.
    shared_identity = models.JSONField(_("a mentor who shares"), default=list, blank=True)
    identity_weight = models.PositiveSmallIntegerField(_("how much that matters"), default=0)
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


class PairRule(models.Model):
    """A coordinator's decision about one pair before publishing: always match them (pin) or
    never (exclude). The engine keeps to every rule of the cycle."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Always match")
        EXCLUDE = "exclude", _("Never match")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pair_rules")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="one_rule_per_pair"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.mentee_id} – {self.mentor_id}"


class MatchingRun(models.Model):
    """One run of the engine over a cycle's enrolments: its proposals and who stayed unmatched
    (with why). The latest run is the one the coordinator reviews and publishes."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField(max_length=10, choices=Cycle.Mode.choices)
    min_score = models.DecimalField(max_digits=5, decimal_places=2)
    # The proposals' total without the identity factor (docs/matching.md, "What others see").
    total_score = models.FloatField(default=0)
    # [{"mentee": enrollment id, "why": the engine's code}]
    unmatched = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self):
        return f"{self.cycle_id}: {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """A pair the engine proposes in a run, with its score and its strongest reasons. `score`
    and `reasons` are what anyone but the mentee may see: without the identity factor, so that
    they read the same whatever anyone answered about themselves; `mentee_reasons` are the
    mentee's own (they may say "a shared aspect of identity", see docs/matching.md)."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    # [{"factor": ..., "shared": [...], "points": ...}], strongest first (at most three)
    reasons = models.JSONField(default=list)
    mentee_reasons = models.JSONField(default=list)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self):
        return f"{self.mentee_id} – {self.mentor_id} ({self.score})"


class Match(models.Model):
    """A published pair: introduced to each other by email, then meeting for the cycle."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="mentee_matches")
    mentor = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="mentor_matches")
    # As on Proposal: `score` and `reasons` without identity, `mentee_reasons` the mentee's.
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    mentee_reasons = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    published_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(state="active"),
                name="one_active_match_per_mentee",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.person} – {self.mentee.person} ({self.cycle})"

    def reasons_for(self, person):
        """The stored reasons `person` may read: the mentee's own, or those anyone may."""
        return self.mentee_reasons if person.pk == self.mentee.person_id else self.reasons


class Meeting(models.Model):
    """A meeting a pair logged. Its notes are the pair's alone: not even the coordinator reads
    them (the coordinator sees that and when they met)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=600), name="meeting_length"
            ),
        ]

    def __str__(self):
        return f"{self.match_id}: {self.met_on}"


class Goal(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Set aside")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class CheckIn(models.Model):
    """How a person finds their match, at mid-cycle and at the end: read by the coordinator,
    never by the other person."""

    class Stage(models.TextChoices):
        MID = "mid", _("Mid-cycle")
        END = "end", _("End of cycle")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=4, choices=Stage.choices)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match", "stage", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "person", "stage"], name="one_check_in_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="check_in_satisfaction_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.match_id} {self.stage}: {self.satisfaction}"


class Concern(models.Model):
    """A confidential request by one person of a pair: a new match, or to end it. The
    coordinator sees it; the other person learns nothing until the coordinator acts."""

    class Kind(models.TextChoices):
        REMATCH = "rematch", _("A new match")
        END = "end", _("End the match")

    class Outcome(models.TextChoices):
        ENDED = "ended", _("The match was ended")
        KEPT = "kept", _("The match continues")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="concerns")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("what you ask for"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "person"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_concern_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.match_id}: {self.kind}"


class Ambassador(models.Model):
    """A resident or faculty member who volunteers to talk with residency applicants. What the
    public listing shows is theirs to choose: their name or not, and a short introduction."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador"
    )
    programs = models.ManyToManyField(
        "people.OrgUnit",
        verbose_name=_("programs you can talk about"),
        related_name="+",
        limit_choices_to={"kind__in": ["program", "department"]},
    )
    interests = models.JSONField(_("what you can talk about"), default=list, blank=True)
    introduction = models.TextField(
        _("a few words for applicants"),
        blank=True,
        max_length=600,
        help_text=_("Shown on the public page. Say only what you want applicants to read."),
    )
    show_name = models.BooleanField(_("show my name on the public page"), default=False)
    monthly_limit = models.PositiveSmallIntegerField(_("conversations a month, at most"), default=2)
    active = models.BooleanField(_("taking requests"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_limit__gte=1, monthly_limit__lte=10),
                name="ambassador_monthly_limit_1_to_10",
            ),
        ]

    def __str__(self):
        return str(self.person)


class ApplicantRequest(models.Model):
    """A residency applicant's request for a conversation, made without an account. Their
    contact details reach an ambassador only once that ambassador accepts. Kept apart from
    selection: nothing about these requests is shown to program leadership."""

    class State(models.TextChoices):
        UNVERIFIED = "unverified", _("Email address not verified yet")
        WAITING = "waiting", _("Waiting for an ambassador")
        OFFERED = "offered", _("Offered to an ambassador")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("your email address"))
    program = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("the program you are interested in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interests = models.JSONField(_("what you would like to talk about"), default=list, blank=True)
    message = models.TextField(_("your message"), blank=True, max_length=2000)
    language = models.CharField(max_length=5, default="en")
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNVERIFIED)
    verified_at = models.DateTimeField(null=True, blank=True)
    ambassador = models.ForeignKey(
        Ambassador, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    declined_by = models.ManyToManyField(Ambassador, blank=True, related_name="+")
    offered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.pk}: {self.get_state_display()}"
