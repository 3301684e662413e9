"""Forms of group training requests: the request itself, and the coordinators' review, decline
and schedule forms. The rules they check are the actions' (belong.training.actions.requests),
which check them again."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.events.models import Event
from belong.people.models import OrgUnit
from belong.training.actions import requests as actions
from belong.training.models import Course, GroupRequest

MAX_TEXT = 4000
MAX_NOTE = 2000


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


TOO_LONG = gettext_lazy("Keep it to %(limit_value)d characters or fewer (it has %(show_value)d).")


class GroupRequestForm(forms.Form):
    group_name = forms.CharField(
        label=gettext_lazy("Team, division or department"),
        max_length=200,
        help_text=gettext_lazy("For example: Emergency Medicine nursing, night shift."),
        error_messages={
            "required": gettext_lazy("Name the team, division or department."),
            "max_length": TOO_LONG,
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("Where it belongs in the organization"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not listed, or not sure"),
        help_text=gettext_lazy("Optional."),
        error_messages={"invalid_choice": gettext_lazy("Choose a unit from the list.")},
    )
    courses = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Trainings"),
        queryset=Course.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose one or more."),
        error_messages={
            "required": gettext_lazy("Choose at least one training."),
            "invalid_choice": gettext_lazy("Choose trainings from the current catalog."),
            "invalid_pk_value": gettext_lazy("Choose trainings from the current catalog."),
        },
    )
    expected_participants = forms.IntegerField(
        label=gettext_lazy("Expected participants"),
        help_text=gettext_lazy("A minimum of 6 registrants is required."),
        widget=forms.NumberInput(
            attrs={
                "min": GroupRequest.MINIMUM_PARTICIPANTS,
                "max": actions.MAX_PARTICIPANTS,
                "inputmode": "numeric",
            }
        ),
        error_messages={
            "required": gettext_lazy("Enter how many people expect to take part."),
            "invalid": gettext_lazy("Enter a whole number."),
        },
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose virtual or in person."),
            "invalid_choice": gettext_lazy("Choose virtual or in person."),
        },
    )
    campus = forms.ModelChoiceField(
        label=gettext_lazy("Campus"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose a campus"),
        help_text=gettext_lazy("Required for an in-person session."),
        error_messages={"invalid_choice": gettext_lazy("Choose a campus from the list.")},
    )
    tailoring = forms.CharField(
        label=gettext_lazy("What to tailor"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Optional. What your group works on, situations you would like the session to "
            "address, anything the facilitators should know."
        ),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.exclude(
            kind=OrgUnit.Kind.INSTITUTION
        ).order_by("name")
        self.fields["courses"].queryset = Course.objects.filter(is_active=True).order_by(
            "order", "title"
        )
        self.fields["format"].choices = [
            (value, label)
            for value, label in Event.Format.choices
            if value in actions.REQUEST_FORMATS
        ]
        self.fields["campus"].queryset = actions.campus_units()
        # One to three ranges of dates; the first is required. Fields are inserted before the
        # format, in the order a person fills them.
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("format")
        windows = []
        for n in range(1, actions.MAX_WINDOWS + 1):
            for end, label in (("from", _("Option %(n)d: from")), ("to", _("Option %(n)d: to"))):
                windows.append(
                    (
                        actions.window_field(n, end),
                        forms.DateField(
                            label=label % {"n": n},
                            required=n == 1,
                            widget=_date_widget(),
                            error_messages={
                                "required": _("Give at least one range of dates.")
                                if end == "from"
                                else _("Give the last date of this range."),
                                "invalid": _("Enter a date, for example 2031-05-14."),
                            },
                        ),
                    )
                )
        self.fields = dict(fields[:at] + windows + fields[at:])

    def window_rows(self):
        """The date fields two by two, for the template: [(from, to), ...]."""
        return [
            (self[actions.window_field(n, "from")], self[actions.window_field(n, "to")])
            for n in range(1, actions.MAX_WINDOWS + 1)
        ]

    def clean_expected_participants(self):
        value = self.cleaned_data["expected_participants"]
        if value < GroupRequest.MINIMUM_PARTICIPANTS:
            raise forms.ValidationError(actions.minimum_message(), code="minimum")
        if value > actions.MAX_PARTICIPANTS:
            raise forms.ValidationError(
                _("Enter a number up to %(limit)d.") % {"limit": actions.MAX_PARTICIPANTS},
                code="max_value",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        windows = []
        for n in range(1, actions.MAX_WINDOWS + 1):
            from_name, to_name = actions.window_field(n, "from"), actions.window_field(n, "to")
            if from_name in self.errors or to_name in self.errors:
                continue
            earliest, latest = cleaned.get(from_name), cleaned.get(to_name)
            if earliest is None and latest is None:
                continue
            if earliest is None or latest is None:
                missing = from_name if earliest is None else to_name
                self.add_error(missing, _("Give both dates of this option, or neither."))
                continue
            windows.append((n, earliest, latest))
        problems = actions.window_problems(
            [(earliest, latest) for _n, earliest, latest in windows], today=actions.local_today()
        )
        # window_problems numbers the windows it is given from 1: map back to the form's options.
        for index, (n, _earliest, _latest) in enumerate(windows, start=1):
            for end in ("from", "to"):
                message = problems.get(actions.window_field(index, end))
                if message:
                    self.add_error(actions.window_field(n, end), message)
        if not windows and not any(
            actions.window_field(n, end) in self.errors
            for n in range(1, actions.MAX_WINDOWS + 1)
            for end in ("from", "to")
        ):
            self.add_error(actions.window_field(1, "from"), _("Give at least one range of dates."))
        cleaned["windows"] = [(earliest, latest) for _n, earliest, latest in windows]
        if cleaned.get("format") in actions.ON_SITE and not cleaned.get("campus"):
            if "campus" not in self.errors:
                self.add_error("campus", _("Choose the campus for an in-person session."))
        return cleaned


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the requester"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. It is sent with the email telling them."),
        error_messages={"max_length": TOO_LONG},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required. The requester is told this reason."),
        error_messages={
            "required": gettext_lazy("Give the reason for declining: the requester is told."),
            "max_length": TOO_LONG,
        },
    )


class ScheduleForm(forms.Form):
    """One session for the group: a date and times in the installation's zone."""

    course = forms.ModelChoiceField(
        label=gettext_lazy("Training"),
        queryset=Course.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choose one of the trainings the group asked for."),
            "invalid_choice": gettext_lazy("Choose one of the trainings the group asked for."),
        },
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=_date_widget(),
        error_messages={
            "required": gettext_lazy("Choose the date of the session."),
            "invalid": gettext_lazy("Enter a date, for example 2031-05-14."),
        },
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Starts at"),
        widget=_time_widget(),
        error_messages={
            "required": gettext_lazy("Enter the start time."),
            "invalid": gettext_lazy("Enter a time, for example 13:30."),
        },
    )
    end_time = forms.TimeField(
        label=gettext_lazy("Ends at"),
        widget=_time_widget(),
        error_messages={
            "required": gettext_lazy("Enter the end time."),
            "invalid": gettext_lazy("Enter a time, for example 15:00."),
        },
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=Event.Format.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a format."),
            "invalid_choice": gettext_lazy("Choose a format from the list."),
        },
    )
    campus = forms.ModelChoiceField(
        label=gettext_lazy("Campus"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose a campus"),
        help_text=gettext_lazy("Required for an in-person or hybrid session."),
        error_messages={"invalid_choice": gettext_lazy("Choose a campus from the list.")},
    )
    place = forms.CharField(
        label=gettext_lazy("Place"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Building and room. Required for an in-person or hybrid session."),
        error_messages={"max_length": TOO_LONG},
    )
    online_join_details = forms.CharField(
        label=gettext_lazy("Online join details"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The meeting link and any passcode. Shown to registrants only. Required for a "
            "virtual or hybrid session."
        ),
        error_messages={"max_length": TOO_LONG},
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        required=False,
        min_value=1,
        max_value=actions.MAX_PARTICIPANTS,
        help_text=gettext_lazy(
            "Seats in the session. Left empty, it is the number of expected participants."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter the number of seats."),
            "invalid": gettext_lazy("Enter a whole number."),
            "min_value": gettext_lazy("Enter a capacity of at least %(limit_value)d."),
            "max_value": gettext_lazy("Enter a capacity up to %(limit_value)d."),
        },
    )

    def __init__(self, *args, group_request, now=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        courses = list(group_request.courses.all())
        initial.setdefault("capacity", group_request.expected_participants)
        initial.setdefault("format", group_request.format)
        initial.setdefault("campus", group_request.campus_id)
        if len(courses) == 1:
            initial.setdefault("course", courses[0].pk)
        today = actions.local_today(now)
        upcoming = [w.earliest for w in group_request.windows.all() if w.earliest > today]
        if upcoming:
            initial.setdefault("date", upcoming[0])
        super().__init__(*args, initial=initial, **kwargs)
        self.now = now
        self.fields["course"].queryset = Course.objects.filter(
            pk__in=[course.pk for course in courses]
        ).order_by("order", "title")
        self.fields["campus"].queryset = actions.campus_units()

    def clean(self):
        cleaned = super().clean()
        zone = ZoneInfo(settings.TIME_ZONE)
        date, start_time, end_time = (
            cleaned.get("date"),
            cleaned.get("start_time"),
            cleaned.get("end_time"),
        )
        if date and start_time:
            start = datetime.datetime.combine(date, start_time, tzinfo=zone)
            cleaned["start"] = start
            now = self.now or datetime.datetime.now(tz=zone)
            if start <= now:
                self.add_error("date", _("Choose a date and time in the future."))
            if end_time:
                end = datetime.datetime.combine(date, end_time, tzinfo=zone)
                cleaned["end"] = end
                if end <= start:
                    self.add_error("end_time", _("The end must be after the start."))
        fmt = cleaned.get("format")
        if fmt in actions.ON_SITE:
            if not cleaned.get("campus") and "campus" not in self.errors:
                self.add_error("campus", _("Choose the campus for an in-person or hybrid session."))
            if not cleaned.get("place") and "place" not in self.errors:
                self.add_error("place", _("Give the place: building and room."))
        if fmt in (Event.Format.VIRTUAL, Event.Format.HYBRID):
            if not cleaned.get("online_join_details") and "online_join_details" not in self.errors:
                self.add_error(
                    "online_join_details",
                    _("Give the online join details: the meeting link and any passcode."),
                )
        return cleaned


class QueueFilterForm(forms.Form):
    OPEN = "open"
    ALL = "all"

    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a status from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (self.OPEN, _("Open: new and in review")),
            *GroupRequest.Status.choices,
            (self.ALL, _("All requests")),
        ]

    def statuses(self):
        """The statuses to show (the open ones when the choice is missing or invalid)."""
        choice = self.cleaned_data.get("status") if self.is_valid() else None
        if choice == self.ALL:
            return list(GroupRequest.Status.values)
        if choice in GroupRequest.Status.values:
            return [choice]
        return [GroupRequest.Status.NEW, GroupRequest.Status.IN_REVIEW]
