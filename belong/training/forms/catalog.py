"""The training catalog's GET form: topic, format, campus, dates, "has seats" (the queries it
drives are belong.training.catalog_queries)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.events.models import Event

DATE_FORMAT = "%Y-%m-%d"
SESSION_FILTERS = ("format", "campus", "from", "to", "has_seats")


def _date_field(label, invalid):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={"invalid": invalid},
    )


class CatalogFilters(forms.Form):
    """The catalog's GET form. Choices come from the topics and campuses the view loaded once."""

    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        error_messages={
            "invalid_choice": _("There is no topic “%(value)s”: choose one of the listed topics.")
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Any format")),
            (Event.Format.VIRTUAL, _("Virtual")),
            (Event.Format.IN_PERSON, _("In person")),
        ],
        help_text=_("Hybrid sessions count as both."),
        error_messages={
            "invalid_choice": _("The format must be “virtual” or “in person”, not “%(value)s”.")
        },
    )
    campus = forms.ChoiceField(
        label=_("Campus"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "There is no campus “%(value)s”: choose one of the listed campuses."
            )
        },
    )
    has_seats = forms.BooleanField(label=_("Only sessions with seats left"), required=False)

    def __init__(self, data=None, *, topics, campuses):
        super().__init__(data)
        self.fields["topic"].choices = [("", _("Any topic"))] + [(t.slug, t.name) for t in topics]
        self.fields["campus"].choices = [("", _("Any campus"))] + [
            (c.slug, c.name) for c in campuses
        ]
        # "from" and "to" are Python keywords: these two are added by name, for short URLs.
        self.fields["from"] = _date_field(
            _("From"),
            _("“From” is not a date: enter it as year-month-day, for example 2025-03-14."),
        )
        self.fields["to"] = _date_field(
            _("To"), _("“To” is not a date: enter it as year-month-day, for example 2025-03-31.")
        )
        self.order_fields(["topic", "format", "campus", "from", "to", "has_seats"])

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("“To” must be the same day as “From” or after it."))
        return data

    @property
    def active(self):
        """Whether any filter is set (valid or not)."""
        return any(self.data.get(name) for name in self.fields)

    def session_filters_set(self):
        return any(self.cleaned_data.get(name) for name in SESSION_FILTERS)
