"""The forms of the health-disparities initiatives' pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from belong.insights.models import Initiative, Metric
from belong.lib.storable import validate_storable
from belong.people.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_IMPORT_BYTES = 1024 * 1024


class InitiativeForm(forms.ModelForm):
    lead_email = forms.EmailField(
        label=_("Lead's email address"),
        required=False,
        help_text=_("The person who enters its figures. Leave empty for none yet."),
    )

    class Meta:
        model = Initiative
        fields = ["title", "unit", "disparity", "population", "status"]
        widgets = {"disparity": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.order_by("name")
        if self.instance.pk and self.instance.lead:
            self.fields["lead_email"].initial = self.instance.lead.email

    def clean_lead_email(self):
        email = (self.cleaned_data.get("lead_email") or "").strip().lower()
        if not email:
            return None
        lead = get_user_model().objects.filter(email=email, is_active=True).first()
        if lead is None:
            raise forms.ValidationError(
                _("Nobody here has the address %(email)s.") % {"email": email}
            )
        return lead

    def action_arguments(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["lead"] = self.cleaned_data["lead_email"]
        return data


class MetricForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = ["name", "unit", "direction", "baseline", "target", "target_on"]
        widgets = {"direction": forms.RadioSelect, "target_on": DATE}


class ObservationForm(forms.Form):
    metric = forms.ModelChoiceField(label=_("Metric"), queryset=Metric.objects.none())
    observed_on = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=3)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = initiative.metrics.all()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns metric, date (YYYY-MM-DD), value and, if you like, note; at most 1 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as CSV in UTF-8.")) from None
        validate_storable(text)  # a NUL cannot be stored (belong.lib.storable)
        return text
