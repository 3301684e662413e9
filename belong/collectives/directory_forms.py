"""The directories' entry forms: used to suggest and edit an entry, and to check every row of an
imported CSV file (so a row and a form accept exactly the same values)."""

from django import forms
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


def _website():
    return forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")


class BusinessForm(forms.ModelForm):
    website = _website()

    class Meta:
        model = Business
        fields = [*COMMON[:2], "ownership", "certifications", *COMMON[2:]]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PartnerForm(forms.ModelForm):
    website = _website()
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Areas of focus"),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partner
        fields = [*COMMON, "focus_areas"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row naming the columns listed below."),
    )
