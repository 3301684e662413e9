import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belong.people.models import OrgUnit


class Series(models.Model):
    """A named run of events, such as the Dean's Lecture Series."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.name


def new_uid():
    return f"{secrets.token_hex(16)}@belong"


def new_code():
    return secrets.token_urlsafe(24)


class EventQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(start__gte=now or timezone.now()).exclude(status=Event.Status.CANCELLED)

    def listed(self):
        """Events anyone may see listed: public ones (organization-only ones come with sign-in)."""
        return self.filter(visibility=Event.Visibility.PUBLIC)

    def visible_to(self, person):
        """The one rule of who sees an event: visitors see public events; signed-in people
        also see organization events, invitation-only ones they hold a registration for, and
        members-only ones whose audience holds them (its hosts decide: events.hosting). An
        inactive account is a visitor (belong.people.access.is_signed_in)."""
        from belong.people.access import is_signed_in

        if not is_signed_in(person):
            return self.listed()
        from belong.events import hosting

        invited = Registration.objects.filter(event=OuterRef("pk"), person=person).exclude(
            state=Registration.State.CANCELLED
        )
        restricted = [Event.Visibility.INVITATION, Event.Visibility.MEMBERS]
        return self.filter(
            ~Q(visibility__in=restricted)
            | Exists(invited)
            | (Q(visibility=Event.Visibility.MEMBERS) & hosting.audience_q(person))
        )

    def with_counts(self):
        return self.annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__state__in=Registration.HOLDS_SEAT)
            ),
            waitlist_count=Count(
                "registrations", filter=Q(registrations__state=Registration.State.WAITLISTED)
            ),
        )


class Event(models.Model):
    """Anything people gather for: a workshop session, a lecture, a collective's event. Hosts
    (a course, a collective) point at it from their own apps; events know nothing of them."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Workshop session")
        LECTURE = "lecture", _("Lecture")
        COLLECTIVE = "collective", _("Collective event")
        PROGRAM = "program", _("Program event")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        ORGANIZATION = "organization", _("Organization")
        INVITATION = "invitation", _("By invitation")
        MEMBERS = "members", _("Members of the hosting collectives")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SESSION)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=Format.choices,
        blank=True,
        help_text=_("Empty when it is not known yet."),
    )
    campus = models.ForeignKey(
        OrgUnit,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": OrgUnit.Kind.CAMPUS},
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_join_details = models.TextField(
        _("online join details"), blank=True, help_text=_("Shown to registrants only.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    minimum = models.PositiveIntegerField(_("minimum registrants"), default=0)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    host_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    host_id = models.PositiveBigIntegerField(null=True, blank=True)
    host = GenericForeignKey("host_type", "host_id")
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("Raised on every change (invites).")
    )
    uid = models.CharField(
        max_length=80,
        unique=True,
        default=new_uid,
        editable=False,
        help_text=_("The calendar invite's stable identifier."),
    )
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    prework = models.TextField(
        _("pre-work for this session"),
        blank=True,
        help_text=_("Added to the course's pre-work for this session only."),
    )
    recording_url = models.URLField(
        _("recording"),
        blank=True,
        help_text=_("Lectures only: workshops are never recorded."),
    )
    invitation_code = models.CharField(
        _("invitation code"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("For invitation-only events: whoever has the link may register."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_events",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    short_notice_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the coordinator was told the session is short of its minimum."),
    )
    kept_short_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a coordinator decided to run the session below its minimum."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["host_type", "host_id", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="event_ends_after_start"
            ),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.title} ({local:%Y-%m-%d %H:%M})"

    @property
    def counts_private(self) -> bool:
        """Whether counts of who registered stay with the people who run the event: a
        collective's events and members-only ones, where a registration tells who belongs to the
        hosts. For everyone else their pages, lists, feeds, mail and API answers show no seats
        left, registrants, waitlist, place on it or registrants still needed (a figure that
        moves when one person registers names that person to whoever looks before and after):
        only the capacity the hosts set and the person's own state. Workshop sessions and
        lectures keep their seats left (docs/privacy.md)."""
        return self.kind == self.Kind.COLLECTIVE or self.visibility == self.Visibility.MEMBERS

    def seats_left(self, registered_count):
        if self.capacity is None:
            return None
        return max(self.capacity - registered_count, 0)

    def needed_to_run(self, registered_count):
        return max(self.minimum - registered_count, 0)

    def phase(self, now) -> str:
        """Where the event stands, as its staff lists say: cancelled, took place, under way, or
        its status (scheduled, confirmed)."""
        if self.status == self.Status.CANCELLED:
            return gettext("Cancelled")
        if self.end <= now:
            return gettext("Took place")
        if self.start <= now:
            return gettext("Under way")
        return self.get_status_display()

    def is_short(self, registered_count, now) -> bool:
        """Short of its minimum: it has not started, starts within the cutoff
        (MINIMUM_CUTOFF_DAYS), needs more registrants, and nobody decided to keep it running
        below its minimum. Then it is cancelled or kept (belong.events.actions.check_minimums
        tells the people who run it once)."""
        cutoff = now + datetime.timedelta(days=settings.MINIMUM_CUTOFF_DAYS)
        return (
            bool(self.needed_to_run(registered_count))
            and now < self.start <= cutoff
            and self.kept_short_at is None
            and self.status != self.Status.CANCELLED
        )


class RegistrationQuerySet(models.QuerySet):
    def waitlist(self):
        """The waitlisted registrations in the waitlist's order (Registration.WAITLIST_ORDER)."""
        return self.filter(state=Registration.State.WAITLISTED).order_by(
            *Registration.WAITLIST_ORDER
        )


def waiting_ahead(event, requested_at, pk) -> Q:
    """The waitlisted registrations of `event` ahead of one that asked at `requested_at` with
    primary key `pk` (values, or OuterRef for a subquery): the waitlist's order, written once."""
    return Q(event=event, state=Registration.State.WAITLISTED) & (
        Q(requested_at__lt=requested_at) | Q(requested_at=requested_at, pk__lt=pk)
    )


def ahead_on_waitlist():
    """An annotation over Registration: how many waitlisted registrations of the same event are
    ahead of each one (meaningful for waitlisted ones only)."""
    ahead = (
        Registration.objects.filter(
            waiting_ahead(OuterRef("event"), OuterRef("requested_at"), OuterRef("pk"))
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), 0)


class Registration(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    HOLDS_SEAT = [State.REGISTERED, State.ATTENDED, State.NO_SHOW]
    # The waitlist's order: who asked first, then the older row. The first takes the next free
    # seat (belong.events.actions._promote); places on it are counted the same way.
    WAITLIST_ORDER = ("requested_at", "pk")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    prework_done_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(
        default=timezone.now,
        help_text=_("When the person last asked for a seat: the waitlist's order."),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]  # WAITLIST_ORDER
        indexes = [models.Index(fields=["event", "state", "requested_at"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_registration_per_person"),
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.person_id} @ {self.event_id}: {self.state}"


class CalendarFeed(models.Model):
    """A person's private calendar feed of their sessions. The token is the secret in the URL;
    revoking replaces it, so an old URL stops working at once."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"feed of {self.person_id}"
