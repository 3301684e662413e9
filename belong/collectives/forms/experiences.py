"""The forms of sharing an experience with a collective's leaders, and of the leaders' pages that
read and publish them (the writes are belong.collectives.actions.experiences)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.collectives.actions import experiences as actions
from belong.collectives.models import Experience

ANONYMOUS, NAMED = "anonymous", "named"


def _length_messages():
    return {
        "max_length": gettext_lazy(
            "Keep it to %(limit_value)d characters or fewer (it has %(show_value)d)."
        )
    }


class ShareForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your experience"),
        max_length=actions.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Up to 5,000 characters. The leaders read it as you write it: to stay anonymous, "
            "leave out names, dates and details that would point to you."
        ),
        error_messages={
            "required": gettext_lazy("Write your experience: the text is empty."),
            **_length_messages(),
        },
    )
    how = forms.ChoiceField(
        label=gettext_lazy("How to share it"),
        choices=[
            (ANONYMOUS, gettext_lazy("Anonymously: nothing that identifies me is stored")),
            (NAMED, gettext_lazy("With my name: the leaders see my name and email address")),
        ],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose to share it anonymously or with your name."),
            "invalid_choice": gettext_lazy("Choose to share it anonymously or with your name."),
        },
    )
    consent_to_publish = forms.BooleanField(
        label=gettext_lazy(
            "The leaders may publish it on the collective's page as an anonymous story"
        ),
        required=False,
        help_text=gettext_lazy(
            "Without your name, with only the month and year it was published. The leaders may "
            "shorten it and remove details that could identify you. You cannot change this "
            "choice after sending."
        ),
    )


class PublishForm(forms.Form):
    story_text = forms.CharField(
        label=gettext_lazy("The story as the page will show it"),
        required=False,
        max_length=actions.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Shown without the writer's name, with the month and year of publication. Remove "
            "names, dates and details that could identify the writer or anyone else."
        ),
        error_messages=_length_messages(),
    )


class StateFilterForm(forms.Form):
    ACTIVE = "active"
    ALL = "all"

    state = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a state from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (self.ACTIVE, _("New, read and published")),
            *Experience.State.choices,
            (self.ALL, _("All, hidden ones too")),
        ]

    def states(self):
        """The states to show (new, read and published when the choice is missing or bad)."""
        choice = self.cleaned_data.get("state") if self.is_valid() else None
        if choice == self.ALL:
            return list(Experience.State.values)
        if choice in Experience.State.values:
            return [choice]
        State = Experience.State
        return [State.NEW, State.READ, State.PUBLISHED]
