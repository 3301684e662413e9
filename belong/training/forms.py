"""The forms of the coordinators' pages: courses, sessions (several dates at once), pre-work
uploads, cancelling, attendance; and what a session and a lecture share (an event's date and
times, place, seats, registration window, the reason for cancelling), which the lecture forms
(belong.training.lecture_forms) build on. They check input and say what is wrong; the writes
and the rules that every caller shares are in belong.training.actions.catalog and
belong.events.actions."""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from belong.events.models import Event
from belong.lib import uploads
from belong.people import roles
from belong.people.models import OrgUnit
from belong.training.actions import catalog
from belong.training.models import Course, Topic

MAX_OBJECTIVE_LENGTH = 500


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


# --- courses ----------------------------------------------------------------------------------


class CourseForm(forms.ModelForm):
    """A course and its learning objectives, one a line, in order."""

    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_(
            "The end of the course's web address, for example implicit-bias. Lowercase "
            "letters, numbers and hyphens. Leave it empty to make one from the title."
        ),
        error_messages={"unique": _("Another course already uses this address.")},
    )
    objectives = forms.CharField(
        label=_("Learning objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One objective a line, in the order they are shown."),
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "description",
            "objectives",
            "duration_minutes",
            "formats",
            "topics",
            "foundational",
            "order",
            "is_active",
            "prework",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "prework": forms.Textarea(attrs={"rows": 5}),
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "foundational": _("Part of the “start here” path of foundational trainings."),
            "order": _("Courses are listed from the lowest number up."),
            "is_active": _("Offered courses are in the catalog; retired ones leave it."),
            "prework": _(
                "What every registrant does before a session: 15 to 20 minutes. Sessions can "
                "add their own, and files are added below."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.order_by("order", "name")
        self.fields["topics"].required = False
        duration = self.fields["duration_minutes"]
        duration.validators.append(MinValueValidator(1))
        duration.widget.attrs["min"] = 1
        if self.instance.pk and not self.is_bound:
            self.initial["objectives"] = "\n".join(
                objective.text for objective in self.instance.objectives.all()
            )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title") or "")
        slug = slug[:80]
        if not slug:
            raise ValidationError(
                _("Enter an address: lowercase letters, numbers and hyphens."), code="required"
            )
        if slug in catalog.RESERVED_SLUGS:
            raise ValidationError(
                _("“%(slug)s” is taken by a page of its own: choose another address."),
                params={"slug": slug},
                code="reserved",
            )
        return slug

    def clean_objectives(self):
        lines = [line.strip() for line in self.cleaned_data["objectives"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > catalog.MAX_OBJECTIVES:
            raise ValidationError(
                _("Enter at most %(limit)d objectives (there are %(count)d)."),
                params={"limit": catalog.MAX_OBJECTIVES, "count": len(lines)},
            )
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_OBJECTIVE_LENGTH:
                raise ValidationError(
                    _("Objective %(number)d is too long: at most %(limit)d characters."),
                    params={"number": number, "limit": MAX_OBJECTIVE_LENGTH},
                )
        return lines

    def action_arguments(self):
        """What create_course / update_course take."""
        data = self.cleaned_data
        fields = {name: data[name] for name in catalog.COURSE_FIELDS}
        return {"objectives": data["objectives"], "topics": list(data["topics"]), **fields}


# --- pre-work files ---------------------------------------------------------------------------


class PreworkUploadForm(forms.Form):
    # Its own prefix: it shares a page with the course or session form (ids stay unique).
    prefix = "upload"

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("What people see as the link. Leave it empty to use the file's name."),
    )
    file = forms.FileField(label=_("File"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Allowed: %(allowed)s. At most %(limit)d MB.") % {
            "allowed": uploads.allowed_types_text(),
            "limit": settings.PREWORK_MAX_MB,
        }
        self.fields["file"].error_messages["required"] = _("Choose a file to upload.")
        self.fields["file"].widget.attrs["accept"] = ",".join(uploads.ALLOWED_TYPES)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.content_type = uploads.check_upload(upload)
        except uploads.UploadRefused as refusal:
            raise ValidationError(refusal.message, code="file_type") from refusal
        return upload


# --- what a course's sessions and a lecture share ---------------------------------------------


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _date_field(required=True):
    return forms.DateField(
        label=_("Date"),
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _time_field(label, required=True):
    return forms.TimeField(
        label=label,
        required=required,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class EventTimesForm(forms.Form):
    """An event's day and its start and end, in the installation's zone. Cleaning sets
    cleaned_data["start"] and ["end"] (aware) once all three are known. A new event must still
    be ahead; an edit (`event` set) keeps an unchanged time and may only move it ahead, or says
    `move_refused`."""

    date = _date_field()
    start_time = _time_field(_("Starts"))
    end_time = _time_field(_("Ends"))

    event = None
    move_refused = ""

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return data
        if end <= start:
            self.add_error("end_time", _("The end must be after the start."))
            return data
        zone = timezone.get_current_timezone()
        data["start"] = timezone.make_aware(datetime.datetime.combine(day, start), zone)
        data["end"] = timezone.make_aware(datetime.datetime.combine(day, end), zone)
        if self.event is None:
            if data["start"] <= timezone.now():
                self.add_error("date", _("This date and time has already passed."))
            return data
        # The form shows minutes: an unchanged minute keeps the stored time (which may have
        # seconds, from the API), so that saving other fields does not count as a move.
        for name in ("start", "end"):
            stored = getattr(self.event, name)
            if data[name] == stored.replace(second=0, microsecond=0):
                data[name] = stored
        moved = data["start"] != self.event.start
        if moved and data["start"] <= timezone.now():
            self.add_error("date", self.move_refused)
        return data


class EventDetailsForm(forms.Form):
    """Where an event is, its seats, its registration window and who may see it: what a
    course's sessions and a lecture share. A subclass names its kind of event in the help texts
    (place_help, closes_help, visibility_help) and may offer fewer visibility_choices."""

    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Not known yet")), *Event.Format.choices],
    )
    campus = forms.ModelChoiceField(
        label=_("Campus"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("No campus"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_join_details = forms.CharField(
        label=_("Online join details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The link and any passcode. Shown to registrants only."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("How many seats. Leave it empty for no limit."),
    )
    registration_opens_at = forms.DateTimeField(
        label=_("Registration opens"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("Leave it empty to open registration now."),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes"), required=False, widget=_datetime_widget()
    )
    visibility = forms.ChoiceField(
        label=_("Who can see and register"),
        choices=Event.Visibility.choices,
        widget=forms.RadioSelect,
    )

    place_help = ""
    closes_help = ""
    visibility_help = ""
    visibility_choices = Event.Visibility.choices

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = OrgUnit.objects.filter(kind=OrgUnit.Kind.CAMPUS)
        self.fields["place"].help_text = self.place_help
        self.fields["registration_closes_at"].help_text = self.closes_help
        visibility = self.fields["visibility"]
        visibility.choices = self.visibility_choices
        visibility.help_text = self.visibility_help
        visibility.initial = Event.Visibility.PUBLIC

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        return data

    def event_fields(self):
        """Keyword arguments for the actions that create and change events (campus by id, so
        that a change of campus counts as a change of place)."""
        data = self.cleaned_data
        campus = data.get("campus")
        return {
            "format": data["format"],
            "campus_id": campus.pk if campus is not None else None,
            "place": data["place"],
            "online_join_details": data["online_join_details"],
            "capacity": data["capacity"],
            "registration_opens_at": data["registration_opens_at"],
            "registration_closes_at": data["registration_closes_at"],
            "visibility": data["visibility"],
        }


def event_initial(event):
    """What EventTimesForm and EventDetailsForm show for an edit of `event` (in the
    installation's zone, to the minute)."""
    start, end = _local(event.start), _local(event.end)
    return {
        "date": start.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
        "format": event.format,
        "campus": event.campus_id,
        "place": event.place,
        "online_join_details": event.online_join_details,
        "capacity": event.capacity,
        "registration_opens_at": _local(event.registration_opens_at),
        "registration_closes_at": _local(event.registration_closes_at),
        "visibility": event.visibility,
    }


class CancelEventForm(forms.Form):
    """The reason for cancelling an event, sent to everyone registered or on the waitlist; a
    subclass says what is missing when there is none (missing_reason)."""

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to everyone registered or on the waitlist."),
    )

    missing_reason = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = self.missing_reason


# --- sessions ---------------------------------------------------------------------------------


def facilitator_choices(extra=()):
    people = get_user_model().objects.filter(groups__name=roles.FACILITATOR, is_active=True)
    pks = {person.pk for person in extra}
    if pks:
        people = get_user_model().objects.filter(
            pk__in=set(people.values_list("pk", flat=True)) | pks
        )
    return people.distinct().order_by("full_name", "email")


class FacilitatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})"


class SessionDetailsForm(EventDetailsForm):
    """What the sessions of one scheduling share, or one session's details when editing."""

    minimum = forms.IntegerField(
        label=_("Minimum registrants"),
        min_value=0,
        max_value=100000,
        help_text=_("The session runs once this many have registered."),
    )
    facilitators = FacilitatorField(
        label=_("Facilitators"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the Facilitator role. They see the roster and mark attendance."),
    )
    prework = forms.CharField(
        label=_("Pre-work for this session"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added to the course's pre-work for this session only."),
    )

    field_order = ["format", "campus", "place", "online_join_details", "capacity", "minimum"]
    place_help = _("The building and room, for sessions in person.")
    closes_help = _("Leave it empty to keep it open until the session starts.")
    visibility_help = _(
        "Public: everyone. Organization: people signed in. By invitation: whoever has the "
        "invitation link, shown on the roster."
    )

    def __init__(self, *args, current_facilitators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitator_choices(current_facilitators)
        self.fields["minimum"].initial = settings.WORKSHOP_MINIMUM

    def clean(self):
        data = super().clean()
        capacity, minimum = data.get("capacity"), data.get("minimum")
        if capacity is not None and minimum is not None and capacity < minimum:
            self.add_error(
                "capacity",
                _(
                    "The capacity (%(capacity)d) is below the minimum (%(minimum)d): the "
                    "session could never run."
                )
                % {"capacity": capacity, "minimum": minimum},
            )
        return data

    def shared_fields(self):
        """Keyword arguments for schedule_sessions / update_session."""
        data = self.cleaned_data
        return {**self.event_fields(), "minimum": data["minimum"], "prework": data["prework"]}


class SessionDateForm(EventTimesForm):
    """One row of dates: the day and its start and end, in the installation's zone. A row left
    empty is ignored (by the formset); a row begun must be complete."""

    date = _date_field(required=False)
    start_time = _time_field(_("Starts"), required=False)
    end_time = _time_field(_("Ends"), required=False)

    MISSING = {
        "date": _("Enter the date."),
        "start_time": _("Enter the start time."),
        "end_time": _("Enter the end time."),
    }

    def clean(self):
        data = super().clean()
        for name, message in self.MISSING.items():
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, message)
        return data


class BaseSessionDateFormSet(forms.BaseFormSet):
    """Rows left empty are ignored; at least one must be filled; no date twice."""

    def clean(self):
        if any(self.errors):
            return
        filled = [form for form in self.forms if form.has_changed()]
        if not filled:
            raise ValidationError(_("Enter at least one date."), code="no_dates")
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed():
                continue
            key = (form.cleaned_data["start"], form.cleaned_data["end"])
            if key in seen:
                raise ValidationError(
                    _("Dates %(first)d and %(second)d are the same."),
                    params={"first": seen[key], "second": number},
                    code="duplicate",
                )
            seen[key] = number

    def dates(self):
        return [
            (form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.has_changed()
        ]

    def numbered_errors(self):
        """(row number, field, message) for the error summary."""
        found = []
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                field = form[name] if name in form.fields else None
                for error in errors:
                    found.append((number, field, error))
        return found


DEFAULT_DATE_ROWS = 5
MAX_DATE_ROWS = catalog.MAX_DATES


def date_formset_class(rows=DEFAULT_DATE_ROWS):
    rows = max(1, min(rows, MAX_DATE_ROWS))
    return forms.formset_factory(
        SessionDateForm,
        formset=BaseSessionDateFormSet,
        extra=rows,
        max_num=MAX_DATE_ROWS,
        validate_max=True,
        absolute_max=MAX_DATE_ROWS,
    )


class SessionEditForm(SessionDetailsForm, EventTimesForm):
    """One session: its date and times, and its details."""

    field_order = ["date", "start_time", "end_time", *SessionDetailsForm.field_order]
    move_refused = _("A session can only be moved to a time still ahead.")

    def __init__(self, *args, event, **kwargs):
        self.event = event
        initial = {
            **event_initial(event),
            "minimum": event.minimum,
            "facilitators": list(event.facilitators.all()),
            "prework": event.prework,
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, current_facilitators=initial["facilitators"], **kwargs)

    def changes(self):
        """Keyword arguments for update_session: only what the form holds."""
        return {
            "start": self.cleaned_data["start"],
            "end": self.cleaned_data["end"],
            "facilitators": list(self.cleaned_data["facilitators"]),
            **self.shared_fields(),
        }


# --- cancelling and attendance ----------------------------------------------------------------


class CancelSessionForm(CancelEventForm):
    missing_reason = _("Say why the session is cancelled: people are told.")


PRESENT, ABSENT = "present", "absent"


class AttendanceForm(forms.Form):
    """Present or absent for each person who holds a seat; a person left unanswered is left as
    they are."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            initial = {"attended": PRESENT, "no_show": ABSENT}.get(registration.state)
            self.fields[self.field_name(registration)] = forms.ChoiceField(
                label=registration.person.display_name,
                required=False,
                choices=[(PRESENT, _("Present")), (ABSENT, _("Absent"))],
                widget=forms.RadioSelect,
                initial=initial,
            )

    @staticmethod
    def field_name(registration):
        return f"attendance-{registration.pk}"

    def rows(self):
        return [
            (registration, self[self.field_name(registration)])
            for registration in self.registrations
        ]

    def marked(self):
        attended, no_show = [], []
        for registration in self.registrations:
            answer = self.cleaned_data.get(self.field_name(registration))
            if answer == PRESENT:
                attended.append(registration.pk)
            elif answer == ABSENT:
                no_show.append(registration.pk)
        return attended, no_show


def changed_message(count):
    return ngettext(
        "Attendance saved: %(count)d person changed.",
        "Attendance saved: %(count)d people changed.",
        count,
    ) % {"count": count}
