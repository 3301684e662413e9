"""The forms of the coordinators' lecture pages (the Dean's Lecture Series): a new lecture, an
edit (with the recording link), cancelling with a reason. They check input and say what is
wrong; the writes and the rules every caller shares are in belong.events.actions
(create_event, update_event, cancel_event)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.events.models import Event, Series
from belong.people.models import OrgUnit

DEANS_LECTURES = "deans-lecture-series"

LECTURE_VISIBILITY = [
    (Event.Visibility.PUBLIC, _("Public: everyone, signed in or not")),
    (
        Event.Visibility.ORGANIZATION,
        _("The medical school community: people signed in to Belong"),
    ),
]


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SeriesField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LectureForm(forms.Form):
    """A lecture: what it is, when (in the installation's zone), where, seats and registration,
    who may see it, and its series."""

    title = forms.CharField(label=_("Title"), max_length=200)
    speakers = forms.CharField(
        label=_("Speakers"),
        max_length=300,
        required=False,
        help_text=_("Names and titles, for example “Dr. Ana Ruiz, MD, MPH”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the lecture is about, shown on the lecture's page."),
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
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
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("The building and room, for lectures in person."),
    )
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
        label=_("Registration closes"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("Leave it empty to keep it open until the lecture starts."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see and register"),
        choices=LECTURE_VISIBILITY,
        widget=forms.RadioSelect,
    )
    series = SeriesField(
        label=_("Series"),
        required=False,
        queryset=Series.objects.none(),
        empty_label=_("No series"),
        help_text=_("Lectures of the Dean's Lecture Series are listed together on /lectures/."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = OrgUnit.objects.filter(kind=OrgUnit.Kind.CAMPUS)
        self.fields["series"].queryset = Series.objects.order_by("name")
        self.fields["visibility"].initial = Event.Visibility.PUBLIC
        if not self.is_bound and "series" not in self.initial:
            self.initial["series"] = (
                Series.objects.filter(slug=DEANS_LECTURES).values_list("pk", flat=True).first()
            )

    def _times(self, data):
        """Set data["start"] and data["end"] (aware, in the installation's zone) or name the
        field that is wrong. Returns whether both are known."""
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return False
        if end <= start:
            self.add_error("end_time", _("The end must be after the start."))
            return False
        zone = timezone.get_current_timezone()
        data["start"] = timezone.make_aware(datetime.datetime.combine(day, start), zone)
        data["end"] = timezone.make_aware(datetime.datetime.combine(day, end), zone)
        return True

    def _check_window(self, data):
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))

    def clean(self):
        data = super().clean()
        if self._times(data) and data["start"] <= timezone.now():
            self.add_error("date", _("This date and time has already passed."))
        self._check_window(data)
        return data

    def fields_for_action(self):
        """Keyword arguments for create_event / update_event (campus and series by id, so
        that a change of campus counts as a change of place)."""
        data = self.cleaned_data
        campus, series = data.get("campus"), data.get("series")
        return {
            "title": data["title"],
            "speakers": data["speakers"],
            "description": data["description"],
            "start": data["start"],
            "end": data["end"],
            "format": data["format"],
            "campus_id": campus.pk if campus is not None else None,
            "place": data["place"],
            "online_join_details": data["online_join_details"],
            "capacity": data["capacity"],
            "registration_opens_at": data["registration_opens_at"],
            "registration_closes_at": data["registration_closes_at"],
            "visibility": data["visibility"],
            "series_id": series.pk if series is not None else None,
        }


class LectureEditForm(LectureForm):
    """One lecture as it is, and its recording link."""

    recording_url = forms.URLField(
        label=_("Recording link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a secure web address that starts with https://.")},
        help_text=_(
            "The address of the recording, starting with https://. Shown on the lecture's "
            "page and in the archive of past lectures. Leave it empty when there is none."
        ),
    )

    def __init__(self, *args, event, **kwargs):
        self.event = event
        start, end = _local(event.start), _local(event.end)
        initial = {
            "title": event.title,
            "speakers": event.speakers,
            "description": event.description,
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
            "series": event.series_id,
            "recording_url": event.recording_url,
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if event.visibility not in dict(LECTURE_VISIBILITY):
            # A lecture made invitation-only elsewhere keeps that choice here.
            self.fields["visibility"].choices = [
                *LECTURE_VISIBILITY,
                (event.visibility, event.get_visibility_display()),
            ]

    def clean_recording_url(self):
        url = self.cleaned_data["recording_url"].strip()
        if not url:
            return ""
        try:
            URLValidator(schemes=["https"])(url)
        except ValidationError:
            raise ValidationError(
                _("Enter a secure web address that starts with https://."), code="https"
            ) from None
        return url

    def clean(self):
        data = forms.Form.clean(self)
        if self._times(data):
            # The form shows minutes: an unchanged minute keeps the stored time (which may
            # have seconds), so that saving other fields does not count as a move.
            for name in ("start", "end"):
                stored = getattr(self.event, name)
                if data[name] == stored.replace(second=0, microsecond=0):
                    data[name] = stored
            moved = data["start"] != self.event.start
            if moved and data["start"] <= timezone.now():
                self.add_error("date", _("A lecture can only be moved to a time still ahead."))
        self._check_window(data)
        return data

    def fields_for_action(self):
        return {**super().fields_for_action(), "recording_url": self.cleaned_data["recording_url"]}


class CancelLectureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to everyone registered or on the waitlist."),
        error_messages={"required": _("Say why the lecture is cancelled: people are told.")},
    )
