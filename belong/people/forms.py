from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from belong.people.models import OrgUnit, Person


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "That email address and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account is not active. Ask your DEI office for help."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email goes through the outbox like every other message."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from belong.people import actions

        actions.queue_password_reset(person=context["user"], context=context)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "preferred_name",
            "pronouns",
            "name_pronunciation",
            "credentials",
            "kind",
            "campus",
            "org_unit",
            "language",
            "email_announcements",
        ]
        widgets = {"language": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = OrgUnit.objects.filter(kind=OrgUnit.Kind.CAMPUS)
        self.fields["campus"].empty_label = _("Not set")
        self.fields["org_unit"].queryset = OrgUnit.objects.exclude(
            kind__in=[OrgUnit.Kind.INSTITUTION, OrgUnit.Kind.CAMPUS]
        )
        self.fields["org_unit"].empty_label = _("Not set")
        self.fields["kind"].choices = (
            [c for c in Person.Kind.choices if c[0] != Person.Kind.APPLICANT]
            if self.instance.kind != Person.Kind.APPLICANT
            else Person.Kind.choices
        )
        self.fields["full_name"].help_text = _("As it appears in the organization's records.")
