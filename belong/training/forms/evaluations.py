"""The anonymous evaluation an attendee fills in from the emailed link: a 1-5 rating for each
learning objective and for the session, and an optional comment (the rules and the write are
belong.training.actions.evaluations)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.training.actions.evaluations import MAX_COMMENT_LENGTH, RATINGS, objective_field


def scale_choices():
    ends = {RATINGS[0]: _("1 = not at all"), RATINGS[-1]: _("5 = completely")}
    return [(str(rating), ends.get(rating, str(rating))) for rating in RATINGS]


def rating_field(label, help_text):
    message = gettext_lazy("Choose a rating from 1 (not at all) to 5 (completely).")
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=scale_choices(),
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class EvaluationForm(forms.Form):
    """A 1-5 rating for each learning objective and for the session, and an optional comment."""

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            self.fields[objective_field(objective.pk)] = rating_field(
                objective.text, _("How well did the session meet this learning objective?")
            )
        self.fields["session_rating"] = rating_field(
            _("The session overall"), _("How well did the session as a whole meet your needs?")
        )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=MAX_COMMENT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_(
                "Optional. It is shown as you write it, so leave out anything that would "
                "identify you."
            ),
            error_messages={
                "max_length": gettext_lazy(
                    "Keep the comment to %(limit_value)d characters or fewer "
                    "(it has %(show_value)d)."
                )
            },
        )

    @property
    def objective_fields(self):
        return [self[objective_field(objective.pk)] for objective in self.objectives]

    def objective_ratings(self):
        return {
            objective.pk: int(self.cleaned_data[objective_field(objective.pk)])
            for objective in self.objectives
        }
