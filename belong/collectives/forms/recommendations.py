"""The forms of the recommendations' pages: the tracker's filters, a recommendation as its
collective's leaders write it, and the DEI office's answer (the writes are
belong.collectives.actions.recommendations)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.collectives.actions import recommendations as actions
from belong.collectives.models import FocusArea, Recommendation

State = Recommendation.State

TOO_LONG = gettext_lazy("Keep it to %(limit_value)d characters or fewer (it has %(show_value)d).")


class TrackerFilterForm(forms.Form):
    """The tracker's filters (a GET form): each one optional."""

    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a state from the list.")},
    )
    collective = forms.ChoiceField(
        label=gettext_lazy("Collective"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a collective from the list.")},
    )
    area = forms.ChoiceField(
        label=gettext_lazy("Area of focus"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an area of focus from the list.")},
    )

    def __init__(self, *args, collectives, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state"))] + [
            (value, label) for value, label in State.choices if value != State.DRAFT
        ]
        self.fields["collective"].choices = [("", _("Every collective"))] + [
            (collective.slug, collective.name) for collective in collectives
        ]
        self.fields["area"].choices = [("", _("Every area of focus"))] + [
            (area.slug, area.name) for area in areas
        ]

    def filters(self):
        """The valid filters only: a filter that is not valid is shown as an error and not
        applied."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("state", "collective", "area") if data.get(name)}


class RecommendationForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=actions.MAX_TITLE,
        help_text=gettext_lazy("A short line that says what the collective recommends."),
        error_messages={
            "required": gettext_lazy("Give the recommendation a title."),
            "max_length": TOO_LONG,
        },
    )
    problem = forms.CharField(
        label=gettext_lazy("The problem"),
        max_length=actions.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What is not working, for whom, and how you know. Markdown: paragraphs, lists, links."
        ),
        error_messages={
            "required": gettext_lazy("Describe the problem the recommendation addresses."),
            "max_length": TOO_LONG,
        },
    )
    proposal = forms.CharField(
        label=gettext_lazy("What we propose"),
        max_length=actions.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What the organization should do. Markdown: paragraphs, lists, links."
        ),
        error_messages={
            "required": gettext_lazy("Say what the collective proposes."),
            "max_length": TOO_LONG,
        },
    )
    policies = forms.CharField(
        label=gettext_lazy("Policies concerned"),
        required=False,
        max_length=actions.MAX_POLICIES,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. One per line."),
        error_messages={"max_length": TOO_LONG},
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Areas of focus"),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Optional. Choose the areas this recommendation serves."),
        error_messages={
            "invalid_choice": gettext_lazy("Choose areas of focus from the list."),
            "invalid_pk_value": gettext_lazy("Choose areas of focus from the list."),
        },
    )

    @classmethod
    def for_recommendation(cls, recommendation):
        return cls(
            initial={
                "title": recommendation.title,
                "problem": recommendation.problem,
                "proposal": recommendation.proposal,
                "policies": recommendation.policies,
                "focus_areas": [area.pk for area in recommendation.focus_areas.all()],
            }
        )


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("The answer"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the answer."),
            "invalid_choice": gettext_lazy("Choose one of the answers listed."),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("What the DEI office answers"),
        required=False,
        max_length=actions.MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Required for adopted, partly adopted and declined. It is public on the tracker "
            "and sent to the collective's leaders. Markdown: paragraphs, lists, links."
        ),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(state.value, state.label) for state in allowed]

    def clean(self):
        data = super().clean()
        if actions.needs_text(data.get("state")) and not (data.get("text") or "").strip():
            self.add_error(
                "text", _("Write the answer: the collective and everyone on the tracker read it.")
            )
        return data
