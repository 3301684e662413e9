"""The forms of a collective's leaders for its events. An event's day and
times, place, seats and registration window are the forms every event host shares
(belong.events.forms: EventTimesForm, EventDetailsForm, event_initial, CancelEventForm), so
that dates are read and checked the same way everywhere; what is the collectives' own (co-hosts,
areas of focus, members-only) is added here. The writes and the rules every caller shares are
in belong.collectives.actions.events."""

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.collectives.actions import events as event_actions
from belong.collectives.models import Collective, EventFocus, FocusArea
from belong.events.forms import CancelEventForm, EventDetailsForm, EventTimesForm, event_initial
from belong.events.models import Event

TOO_LONG = _("Keep it to %(limit_value)d characters or fewer (it has %(show_value)d).")


class CollectiveField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class FocusAreaField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def focus_area_field(help_text):
    return FocusAreaField(
        label=_("Areas of focus"),
        queryset=FocusArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("Choose areas of focus from the list."),
            "invalid_pk_value": _("Choose areas of focus from the list."),
        },
    )


class CollectiveEventForm(EventDetailsForm, EventTimesForm):
    """A collective's event: what it is, when (in the installation's zone), where, seats and
    registration, who may come, its co-hosts and its areas of focus. With `event`, an edit of
    it as it is."""

    title = forms.CharField(
        label=_("Title"),
        max_length=event_actions.MAX_TITLE,
        error_messages={"required": _("Give the event a title."), "max_length": TOO_LONG},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=event_actions.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the event is and who it is for, shown on the event's page."),
        error_messages={"max_length": TOO_LONG},
    )
    cohosts = CollectiveField(
        label=_("Co-hosts"),
        queryset=Collective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Other collectives that hold this event with yours. Their leaders see the roster "
            "too, and a members-only event is open to their members and allies."
        ),
        error_messages={
            "invalid_choice": _("Choose co-hosts from the list of collectives."),
            "invalid_pk_value": _("Choose co-hosts from the list of collectives."),
        },
    )
    focus_areas = focus_area_field(
        _("Optional. The event is listed on the page of each area chosen.")
    )

    field_order = ["title", "description"]
    place_help = _("The building and room, for events in person.")
    closes_help = _("Leave it empty to keep it open until the event starts.")
    visibility_help = _(
        "Members only: the members and allies of the hosting collectives and their leaders "
        "see the event and may register; nobody else sees it, nor learns who comes."
    )
    visibility_choices = event_actions.VISIBILITY_CHOICES
    move_refused = _("An event can only be moved to a time still ahead.")

    def __init__(self, *args, collective, event=None, **kwargs):
        self.event = event
        if event is not None:
            kwargs.setdefault(
                "initial",
                {
                    **event_initial(event),
                    "title": event.title,
                    "description": event.description,
                    "cohosts": [c.pk for c in event_actions.cohosts_of(event)],
                    "focus_areas": list(
                        EventFocus.objects.filter(event=event).values_list(
                            "focus_area_id", flat=True
                        )
                    ),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["cohosts"].queryset = (
            Collective.objects.filter(is_active=True).exclude(pk=collective.pk).order_by("name")
        )
        self.fields["focus_areas"].queryset = FocusArea.objects.all()
        visibility = self.fields["visibility"]
        if event is None:
            visibility.initial = Event.Visibility.MEMBERS
        elif event.visibility not in event_actions.VISIBILITIES:
            # An event made invitation-only elsewhere keeps that choice here.
            visibility.choices = [
                *event_actions.VISIBILITY_CHOICES,
                (event.visibility, event.get_visibility_display()),
            ]
        if not self.fields["cohosts"].queryset.exists():
            del self.fields["cohosts"]

    def action_arguments(self) -> dict:
        """Keyword arguments for create_collective_event / update_collective_event."""
        data = self.cleaned_data
        return {
            **super().action_arguments(),
            "title": data["title"],
            "description": data["description"],
            "cohosts": list(data.get("cohosts") or []),
            "focus_areas": list(data["focus_areas"]),
        }


class CancelCollectiveEventForm(CancelEventForm):
    missing_reason = _("Say why the event is cancelled: people are told.")
