"""The forms of the coordinators' lecture pages (the Dean's Lecture Series): a new lecture, an
edit (with the recording link), cancelling with a reason. What a lecture shares with a course's
event (its date and times, place, seats, registration window) is in belong.events.forms.
They check input and say what is wrong; the writes and the rules every caller shares are in
belong.events.actions (create_event, update_event, cancel_event)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from belong.events.forms import CancelEventForm, EventDetailsForm, EventTimesForm, event_initial
from belong.events.models import Event, Series

DEANS_LECTURES = "deans-lecture-series"

LECTURE_VISIBILITY = [
    (Event.Visibility.PUBLIC, _("Public: everyone, signed in or not")),
    (
        Event.Visibility.ORGANIZATION,
        _("The medical school community: people signed in to Belong"),
    ),
]


class SeriesField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LectureForm(EventDetailsForm, EventTimesForm):
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
    series = SeriesField(
        label=_("Series"),
        required=False,
        queryset=Series.objects.none(),
        empty_label=_("No series"),
        help_text=_("Lectures of the Dean's Lecture Series are listed together on /lectures/."),
    )

    field_order = ["title", "speakers", "description"]
    place_help = _("The building and room, for lectures in person.")
    closes_help = _("Leave it empty to keep it open until the lecture starts.")
    visibility_choices = LECTURE_VISIBILITY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = Series.objects.order_by("name")
        if not self.is_bound and "series" not in self.initial:
            self.initial["series"] = (
                Series.objects.filter(slug=DEANS_LECTURES).values_list("pk", flat=True).first()
            )

    def action_arguments(self) -> dict:
        """Keyword arguments for create_event / update_event (series by id)."""
        data = self.cleaned_data
        series = data.get("series")
        return {
            **super().action_arguments(),
            "title": data["title"],
            "speakers": data["speakers"],
            "description": data["description"],
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

    move_refused = _("A lecture can only be moved to a time still ahead.")

    def __init__(self, *args, event, **kwargs):
        self.event = event
        initial = {
            **event_initial(event),
            "title": event.title,
            "speakers": event.speakers,
            "description": event.description,
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

    def action_arguments(self) -> dict:
        return {**super().action_arguments(), "recording_url": self.cleaned_data["recording_url"]}


class CancelLectureForm(CancelEventForm):
    missing_reason = _("Say why the lecture is cancelled: people are told.")
