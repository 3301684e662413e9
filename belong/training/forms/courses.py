"""The forms of the coordinators' pages: courses, sessions (several dates at once), pre-work
uploads, cancelling a session. What a session shares with every event (its date and times,
place, seats, registration window, the reason for cancelling, attendance) is in
belong.events.forms. They check input and say what is wrong; the writes and the rules that
every caller shares are in belong.training.actions.catalog and belong.events.actions."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from belong.events.forms import (
    CancelEventForm,
    EventDetailsForm,
    EventTimesForm,
    date_field,
    event_initial,
    time_field,
)
from belong.lib import uploads
from belong.people import roles
from belong.training.actions import catalog
from belong.training.models import Course, Topic

MAX_OBJECTIVE_LENGTH = 500


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

    def action_arguments(self) -> dict:
        """Keyword arguments for schedule_sessions / update_session (with the dates, for an
        edit)."""
        data = self.cleaned_data
        return {
            **super().action_arguments(),
            "minimum": data["minimum"],
            "prework": data["prework"],
            "facilitators": list(data["facilitators"]),
        }


class SessionDateForm(EventTimesForm):
    """One row of dates: the day and its start and end, in the installation's zone. A row left
    empty is ignored (by the formset); a row begun must be complete."""

    date = date_field(required=False)
    start_time = time_field(_("Starts"), required=False)
    end_time = time_field(_("Ends"), required=False)

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


# --- cancelling ------------------------------------------------------------------------------


class CancelSessionForm(CancelEventForm):
    missing_reason = _("Say why the session is cancelled: people are told.")
