"""The public verification page's form: a certificate's code, read as printed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.training.actions.certificates import normalize_code


class CertificateCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example BLG-7KQ4M2XD."),
        error_messages={"required": _("Enter the verification code printed on the certificate.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "A verification code is BLG- followed by 8 letters and digits "
                    "(there is no 0, O, 1 or I), for example BLG-7KQ4M2XD."
                )
            )
        return code
