"""The directories' entry forms: used to suggest and edit an entry, and to check every row of an
imported CSV file (so a row and a form accept exactly the same values)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from belong.collectives.models import Business, FocusArea, Partner

COMMON = [
    "name",
    "category",
    "description",
    "area_served",
    "contact_name",
    "email",
    "phone",
    "address",
    "website",
]


DESCRIPTION_MAX = 5000


def _website():
    return forms.URLField(
        label=capfirst(_("website")), required=False, max_length=200, assume_scheme="https"
    )


def _description():
    return forms.CharField(
        label=capfirst(_("description")),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BusinessForm(forms.ModelForm):
    website = _website()
    description = _description()

    class Meta:
        model = Business
        fields = [*COMMON[:2], "ownership", "certifications", *COMMON[2:]]


class PartnerForm(forms.ModelForm):
    website = _website()
    description = _description()
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Areas of focus"),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partner
        fields = [*COMMON, "focus_areas"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row naming the columns listed below."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
