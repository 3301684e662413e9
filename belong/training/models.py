import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.events.models import Event, Registration
from belong.lib.models import OrderedText, SingletonPage
from belong.people.models import OrgUnit


class TrainingPage(SingletonPage):
    """The Education & Training page's own texts, as the seed page has them."""

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    foundational_heading = models.CharField(_("foundational heading"), max_length=200)
    foundational_intro = models.TextField(
        _("foundational trainings introduction"),
        help_text=_("Paragraphs separated by a blank line."),
    )
    request_note = models.TextField(_("group request note"), blank=True)

    class Meta:
        verbose_name = _("training page")
        verbose_name_plural = _("training page")

    def __str__(self):
        return self.title


class Contact(models.Model):
    """Who to ask about trainings (the seed page's "Meet the Team")."""

    name = models.CharField(_("name"), max_length=200)
    credentials = models.CharField(_("credentials"), max_length=80, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    bio = models.TextField(_("about"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("training contact")
        verbose_name_plural = _("training contacts")

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Course(models.Model):
    """A workshop in the catalog. Its sessions are events hosted by it."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), null=True, blank=True)
    formats = models.CharField(
        _("formats"),
        max_length=60,
        blank=True,
        help_text=_("How it is offered, for example: Virtual, In person."),
    )
    prework = models.TextField(_("pre-work"), blank=True)
    recorded = models.BooleanField(
        _("recorded"),
        default=False,
        help_text=_("Workshops are never recorded, for confidentiality."),
    )
    foundational = models.BooleanField(_("foundational"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    topics = models.ManyToManyField(
        "Topic", verbose_name=_("topics"), blank=True, related_name="courses"
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Retired courses leave the catalog.")
    )
    sessions = GenericRelation(
        Event,
        content_type_field="host_type",
        object_id_field="host_id",
        related_query_name="course",
    )

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("training:course", args=[self.slug])

    def manage_url_for(self, event):
        from django.urls import reverse

        return reverse("training:manage_roster", args=[event.pk])

    def prework_for(self, event):
        """The pre-work of one of its sessions: the course's and the session's own, text and
        files (title and download URL). Uses prefetched `prework_files` when present."""
        from django.urls import reverse

        text = "\n\n".join(part for part in (self.prework.strip(), event.prework.strip()) if part)
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "prework_files" in cache and "prework_files" in getattr(
            event, "_prefetched_objects_cache", {}
        ):
            items = [*self.prework_files.all(), *event.prework_files.all()]
        else:  # one query for both
            items = PreworkFile.objects.filter(Q(course=self) | Q(event=event)).order_by(
                models.F("course_id").asc(nulls_last=True), "title", "pk"
            )
        files = [
            {"title": item.title, "url": reverse("training:prework_file", args=[item.pk])}
            for item in items
        ]
        return text, files


class LearningObjective(OrderedText):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")

    class Meta(OrderedText.Meta):
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")


class Topic(models.Model):
    """What a course is about, for the catalog's filter."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


def prework_upload_to(instance, filename):
    return f"prework/{secrets.token_hex(8)}/{filename}"


class PreworkFile(models.Model):
    """A file of pre-work, for a course (every session) or one session. Its type and size are
    checked on upload (belong.lib.uploads)."""

    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.CASCADE, related_name="prework_files"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="prework_files"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=prework_upload_to)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, event__isnull=True)
                | Q(course__isnull=True, event__isnull=False),
                name="prework_file_has_one_owner",
            )
        ]
        verbose_name = _("pre-work file")
        verbose_name_plural = _("pre-work files")

    def __str__(self):
        return self.title


class EvaluationInvite(models.Model):
    """The one-time right of an attendee to evaluate a session. It records only that it was used
    (no time): the evaluation itself holds nothing that leads back to the person."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation_invite"
    )
    token = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")

    def __str__(self):
        return f"invite for registration {self.registration_id}"


class Evaluation(models.Model):
    """An anonymous answer about a session. A random key (not a sequence) and the day only, so
    neither the order nor the time of answers can be matched to the roster."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations")
    session_rating = models.PositiveSmallIntegerField(
        _("overall rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_on = models.DateField()

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"evaluation of {self.event_id}"


class ObjectiveRating(models.Model):
    # A random key, like Evaluation's: row order must not tell the order of answers.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.CASCADE, related_name="ratings"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "objective"], name="one_rating_per_objective"
            )
        ]

    def __str__(self):
        return f"{self.objective_id}: {self.rating}"


class PublishedEvaluation(models.Model):
    """The results of one session's evaluation, frozen when its window closed
    (belong.training.actions.evaluations.publish_evaluation). Results are read only from here,
    never from the answers, so they cannot move answer by answer. `shown` is false when fewer
    than `threshold` people answered: then nothing of the answers is stored here (`results` is
    empty, `responses` 0) and nothing is ever published. `results` holds the rows (per
    learning objective and overall: a count and how many gave each rating, or hidden) and the
    comments in an order that depends only on their text."""

    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="published_evaluation",
    )
    published_at = models.DateTimeField()
    threshold = models.PositiveSmallIntegerField()
    shown = models.BooleanField()
    responses = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("published evaluation")
        verbose_name_plural = _("published evaluations")

    def __str__(self):
        return f"published evaluation of {self.event_id}"


class Certificate(models.Model):
    """Proof of completing a course, or all foundational trainings; anyone can check its code."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        FOUNDATIONAL = "foundational", _("All foundational trainings")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(max_length=20, unique=True)
    completed_on = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(kind="course"),
                name="one_certificate_per_course",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="foundational"),
                name="one_foundational_certificate",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code


class GroupRequest(models.Model):
    """A team, division or department asking for a training of its own."""

    MINIMUM_PARTICIPANTS = 6

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        DECLINED = "declined", _("Declined")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_requests"
    )
    group_name = models.CharField(_("team, division or department"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    courses = models.ManyToManyField(Course, verbose_name=_("trainings"), related_name="+")
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), validators=[MinValueValidator(MINIMUM_PARTICIPANTS)]
    )
    format = models.CharField(_("format"), max_length=20, choices=Event.Format.choices)
    campus = models.ForeignKey(
        OrgUnit,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": OrgUnit.Kind.CAMPUS},
    )
    tailoring = models.TextField(_("what to tailor"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("scheduled session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_requests",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("group training request")
        verbose_name_plural = _("group training requests")

    def __str__(self):
        return f"{self.group_name} ({self.get_status_display()})"


class GroupRequestWindow(models.Model):
    """A range of dates that would suit the group."""

    request = models.ForeignKey(GroupRequest, on_delete=models.CASCADE, related_name="windows")
    earliest = models.DateField(_("from"))
    latest = models.DateField(_("to"))

    class Meta:
        ordering = ["earliest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=models.F("earliest")), name="window_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.earliest} – {self.latest}"


class GroupRequestChange(models.Model):
    """The history of a request: every status it went through, when, by whom, with a note."""

    request = models.ForeignKey(GroupRequest, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=20, choices=GroupRequest.Status.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.status}"
