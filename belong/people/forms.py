from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from belong.people import access, identity
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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refuse_password_unless_allowed(user)


def refuse_password_unless_allowed(user):
    """With single sign-on on, local passwords may be for operators only: every page that takes
    a password asks this (ours, and Django admin's own sign-in page)."""
    if settings.LOCAL_PASSWORDS == "operators" and not access.is_operator(user):
        raise forms.ValidationError(
            _("Passwords are turned off here: sign in with %(name)s.")
            % {"name": settings.SSO_NAME},
            code="passwords_off",
        )


class AdminSignInForm(AdminAuthenticationForm):
    """Django admin's sign-in page (/admin/login/) under the same rule as ours."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refuse_password_unless_allowed(user)


class PasswordResetRequestForm(forms.Form):
    """The address to send a reset link to. Nothing here looks it up: the page answers the same
    for every address and a task does the rest (people.actions.request_password_reset)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


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
        if self.instance.directory_source:
            # The institution keeps these (single sign-on, SCIM or HR's roster): shown, not
            # changed here; whatever a request sends for them is ignored.
            kept_by = self.instance.get_directory_source_display()
            for name in self.KEPT_BY_INSTITUTION:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Kept by your institution (%(source)s). Ask HR to change it."
                ) % {"source": kept_by}

    KEPT_BY_INSTITUTION = ("full_name", "kind", "campus", "org_unit")


class SelfIdentificationForm(forms.Form):
    """The self-identification questions (belong.people.identity), each optional: its answers,
    a self-description, or "prefer not to say". The rules are identity.clean_answers', whose
    refusals land on the question they name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in identity.DIMENSIONS:
            if dimension.multiple:
                field = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.ChoiceField(widget=forms.RadioSelect)
            field.label = dimension.label
            # A single choice can be taken back: "No answer" leaves the question unanswered.
            field.choices = (
                dimension.choices
                if dimension.multiple
                else [("", _("No answer")), *dimension.choices]
            )
            field.required = False
            field.help_text = dimension.help
            self.fields[dimension.key] = field
            self.fields[f"{dimension.key}_self"] = forms.CharField(
                label=_("%(question)s in your own words (optional)")
                % {"question": dimension.label},
                required=False,
                max_length=identity.MAX_SELF_DESCRIPTION,
            )
            self.fields[f"{dimension.key}_prefer_not"] = forms.BooleanField(
                label=_("Prefer not to say (%(question)s)") % {"question": dimension.label},
                required=False,
            )

    @classmethod
    def for_answers(cls, answers, data=None):
        initial = {}
        for key, answer in (answers or {}).items():
            values = answer.get("values", [])
            multiple = identity.BY_KEY[key].multiple
            initial[key] = values if multiple else (values[0] if values else "")
            initial[f"{key}_self"] = answer.get("self_description", "")
            initial[f"{key}_prefer_not"] = bool(answer.get("prefer_not"))
        return cls(data, initial=initial)

    @property
    def questions(self):
        """(choices, own words, prefer not) bound fields, question by question."""
        return [
            (self[d.key], self[f"{d.key}_self"], self[f"{d.key}_prefer_not"])
            for d in identity.DIMENSIONS
        ]

    def clean(self):
        data = super().clean()
        if self.errors:  # a choice out of its list: said at its field already
            return data
        raw = {}
        for dimension in identity.DIMENSIONS:
            value = data.get(dimension.key)
            values = list(value) if dimension.multiple else ([value] if value else [])
            raw[dimension.key] = {
                "values": values,
                "self_description": data.get(f"{dimension.key}_self", ""),
                "prefer_not": bool(data.get(f"{dimension.key}_prefer_not")),
            }
        try:
            self.answers = identity.clean_answers(raw)
        except identity.Invalid as invalid:
            self.add_error(invalid.field if invalid.field in self.fields else None, invalid.message)
        return data
