"""The forms of running an event, whoever hosts it (a course's sessions, the lectures, a
collective's events, a mentorship cycle's kickoff): an event's day and times
(`EventTimesForm`), its place, seats, registration window and who may see it
(`EventDetailsForm`), the reason for cancelling (`CancelEventForm`) and attendance
(`AttendanceForm`). A host's form subclasses them, adds what is its own (a title, co-hosts, a
series...) and names its kind of event in the help texts. Forms check input and say what is
wrong; the writes and the rules every caller shares are in belong.events.actions. A form hands
its action its keyword arguments with `action_arguments()`."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from belong.events.models import Event
from belong.people.models import OrgUnit


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


class EventForm(forms.Form):
    """The base of the event forms: `action_arguments()` is what the form hands its action (each
    form adds its fields to its bases')."""

    def action_arguments(self) -> dict:
        return {}


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def date_field(required=True):
    return forms.DateField(
        label=_("Date"),
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def time_field(label, required=True):
    return forms.TimeField(
        label=label,
        required=required,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class EventTimesForm(EventForm):
    """An event's day and its start and end, in the installation's zone. Cleaning sets
    cleaned_data["start"] and ["end"] (aware) once all three are known. A new event must still
    be ahead; an edit (`event` set) keeps an unchanged time and may only move it ahead, or says
    `move_refused`."""

    date = date_field()
    start_time = time_field(_("Starts"))
    end_time = time_field(_("Ends"))

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

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {**super().action_arguments(), "start": data["start"], "end": data["end"]}


class EventDetailsForm(EventForm):
    """Where an event is, its seats, its registration window and who may see it: what a
    host's events share. A subclass names its kind of event in the help texts
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

    def action_arguments(self) -> dict:
        """Keyword arguments for the actions that create and change events (campus by id, so
        that a change of campus counts as a change of place)."""
        data = self.cleaned_data
        campus = data.get("campus")
        return {
            **super().action_arguments(),
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


# --- attendance -------------------------------------------------------------------------------


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


def attendance_saved(count):
    return ngettext(
        "Attendance saved: %(count)d person changed.",
        "Attendance saved: %(count)d people changed.",
        count,
    ) % {"count": count}
