import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.lib.media import public_storage
from belong.lib.models import OrderedText, SingletonPage


class CollectivesPage(SingletonPage):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"))
    program_name = models.CharField(_("program name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("collectives page")
        verbose_name_plural = _("collectives page")

    def __str__(self):
        return self.title


class FocusArea(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("area of focus")
        verbose_name_plural = _("areas of focus")

    def __str__(self):
        return self.name


class Collective(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_to_confirm = models.BooleanField(
        _("name to confirm"),
        default=False,
        help_text=_("The source page did not name this collective: an editor should confirm it."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    mission = models.TextField(
        _("mission"), blank=True, help_text=_("Paragraphs separated by a blank line.")
    )
    vision = models.TextField(_("vision"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("areas of focus"), blank=True, related_name="collectives"
    )
    image = models.ImageField(
        _("image"),
        upload_to="collectives/",
        # Its own storage, the only one served at /media/ (belong.lib.media).
        storage=public_storage,
        blank=True,
        help_text=_("A photograph or banner for the collective's page (JPEG, PNG or WebP)."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("collective")
        verbose_name_plural = _("collectives")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("collectives:detail", args=[self.slug])


class Commitment(OrderedText):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="commitments")

    class Meta(OrderedText.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")


class Membership(models.Model):
    """Private by default: only the collective's leaders see it unless its person opens it."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        ALLY = "ally", _("Ally")

    class Visibility(models.TextChoices):
        LEADERS = "leaders", _("Leaders only")
        MEMBERS = "members", _("Members of this collective")
        ORGANIZATION = "organization", _("Everyone in the organization")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("as"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.LEADERS
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collective"], name="one_membership_per_collective"
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.person_id} in {self.collective_id} ({self.kind})"


class LeaderRole(models.Model):
    class Title(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_roles"
    )
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="leader_roles"
    )
    title = models.CharField(_("title"), max_length=30, choices=Title.choices, default=Title.CHAIR)
    other_title = models.CharField(
        _("title, if other"),
        max_length=80,
        blank=True,
        help_text=_("The role's name when it is none of the above (for example: Treasurer)."),
    )
    starts_on = models.DateField(_("term starts"), default=timezone.localdate)
    ends_on = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["collective", "title", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "collective", "title", "other_title"],
                name="one_title_per_leader",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="leader_term_ends_after_start",
            ),
        ]
        verbose_name = _("leader role")
        verbose_name_plural = _("leader roles")

    def __str__(self):
        return f"{self.label}: {self.person} ({self.collective})"

    @property
    def label(self):
        if self.title == self.Title.OTHER and self.other_title:
            return self.other_title
        return self.get_title_display()

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


class MembershipCount(models.Model):
    """How many members and allies a collective had in a month: the trend survives people
    leaving (their membership row is deleted) and holds no names."""

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="membership_counts"
    )
    month = models.DateField(help_text=_("The first day of the month."))
    members = models.PositiveIntegerField(default=0)
    allies = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["collective", "month"]
        constraints = [
            models.UniqueConstraint(fields=["collective", "month"], name="one_count_per_month"),
        ]
        verbose_name = _("monthly membership count")
        verbose_name_plural = _("monthly membership counts")

    def __str__(self):
        return f"{self.collective_id} {self.month:%Y-%m}: {self.members}+{self.allies}"


class EventHosting(models.Model):
    """A collective hosting an event; several collectives may co-host one."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="hostings")
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="hostings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "collective"], name="one_hosting_per_event"),
        ]
        verbose_name = _("hosting collective")
        verbose_name_plural = _("hosting collectives")

    def __str__(self):
        return f"{self.collective_id} hosts {self.event_id}"


class EventFocus(models.Model):
    """The areas of focus of a collective's event (events know nothing of focus areas)."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "focus_area"], name="one_focus_per_event"),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.focus_area_id}"


class Announcement(models.Model):
    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone who visits the collective's page")
        MEMBERS = "members", _("Members and allies only")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="announcements"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: paragraphs, lists, links."))
    audience = models.CharField(
        _("who may read it on the page"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.PUBLIC,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("areas of focus"), blank=True, related_name="announcements"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    """A collective's recommendation to the organization, and its public answer."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        UNDER_REVIEW = "under_review", _("Under review")
        ADOPTED = "adopted", _("Adopted")
        PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
        DECLINED = "declined", _("Declined")

    ANSWERED = [State.ADOPTED, State.PARTLY_ADOPTED, State.DECLINED]
    # The answers a DEI administrator may give from each state.
    NEXT = {
        State.SUBMITTED: [State.ACKNOWLEDGED, State.UNDER_REVIEW, *ANSWERED],
        State.ACKNOWLEDGED: [State.UNDER_REVIEW, *ANSWERED],
        State.UNDER_REVIEW: list(ANSWERED),
    }

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="recommendations"
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem"))
    proposal = models.TextField(_("what we propose"))
    policies = models.TextField(
        _("policies concerned"), blank=True, help_text=_("One per line, if any.")
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("areas of focus"), blank=True, related_name="recommendations"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it was adopted, partly adopted or declined.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at", "-pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return self.title

    def waited(self, now=None):
        """How long it has waited (or waited) for an answer, from submission."""
        if self.submitted_at is None:
            return None
        end = self.answered_at or now or timezone.now()
        return end - self.submitted_at


class RecommendationUpdate(models.Model):
    """One step of a recommendation's history: its new state, when, and the answer's text."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    state = models.CharField(_("state"), max_length=20, choices=Recommendation.State.choices)
    text = models.TextField(_("answer"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("recommendation update")
        verbose_name_plural = _("recommendation updates")

    def __str__(self):
        return f"{self.recommendation_id}: {self.state}"


class Experience(models.Model):
    """An experience shared with a collective's leaders. An anonymous one holds nothing that
    identifies its writer: no person, no address, and only the day it was shared.

    Its id is random (a version 4 UUID), in every address and form: a sequential id shared
    with named experiences would tell leaders the order of sharing, so that an anonymous one
    sits between two named ones of the same day. Lists order by the day only, then by this
    random id, which tells nothing."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        READ = "read", _("Read")
        PUBLISHED = "published", _("Published as a story")
        HIDDEN = "hidden", _("Hidden")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="experiences")
    text = models.TextField(_("your experience"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when shared anonymously."),
    )
    consent_to_publish = models.BooleanField(
        _("the leaders may publish it on the page as an anonymous story"), default=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    shared_on = models.DateField(default=timezone.localdate)
    published_on = models.DateField(null=True, blank=True)
    story_text = models.TextField(
        _("story as published"),
        blank=True,
        help_text=_("The text shown on the page; leaders may remove details that identify."),
    )

    class Meta:
        ordering = ["-shared_on", "pk"]  # the day, then the random id: never the order shared
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self):
        return f"{self.collective_id} {self.shared_on}"

    @property
    def is_anonymous(self):
        return self.person_id is None


class DirectoryEntry(models.Model):
    """What the two directories share: suggested by anyone signed in, approved by a DEI
    administrator, imported and exported as CSV."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=120)
    area_served = models.CharField(_("area served"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Business(DirectoryEntry):
    """A local minority-owned business."""

    ownership = models.CharField(
        _("ownership"),
        max_length=300,
        blank=True,
        help_text=_(
            "As the business reports it, for example: Black-owned; woman-owned; veteran-owned."
        ),
    )
    certifications = models.CharField(
        _("certifications"),
        max_length=300,
        blank=True,
        help_text=_("For example: MBE, WBE, DBE, CERT SBE."),
    )

    class Meta(DirectoryEntry.Meta):
        verbose_name = _("minority-owned business")
        verbose_name_plural = _("minority-owned businesses")


class Partner(DirectoryEntry):
    """A community partner."""

    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("areas of focus"), blank=True, related_name="partners"
    )

    class Meta(DirectoryEntry.Meta):
        verbose_name = _("community partner")
        verbose_name_plural = _("community partners")
