"""/me/privacy/: my self-identification and my consents to its uses. Only its owner ever sees
this page's answers; the page is never cached."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from belong.people import personal_data, privacy
from belong.people.actions import audit
from belong.people.forms import SelfIdentificationForm
from belong.people.models import Consent

# What each consent allows, as the page and the download say it.
USES = {
    Consent.Purpose.REPORTING: gettext_lazy(
        "Your answers are counted in figures about groups of people (for example the share of "
        "residents who are first generation), never shown alone: a group of fewer than "
        "%(threshold)s people is never shown."
    ),
    Consent.Purpose.MATCHING: gettext_lazy(
        "If you enrol in the mentorship program and a mentee asks for a mentor who shares an "
        "aspect of their identity, the matching compares the answers you both chose to share. "
        "Nobody sees your answers: the coordinator and the two people matched learn only that "
        "they share an aspect of identity, never which."
    ),
}


def _page(request, form, *, status=200, consent_error=None):
    person = request.user
    standing = privacy.standing(person)
    consents = [
        {
            "purpose": purpose,
            "label": label,
            "use": USES[purpose] % {"threshold": settings.DISCLOSURE_THRESHOLD},
            "consent": standing.get(purpose),
        }
        for purpose, label in Consent.Purpose.choices
    ]
    return render(
        request,
        "people/privacy.html",
        {
            "form": form,
            "consents": consents,
            "history": privacy.history(person),
            "has_answers": privacy.has_answers(person),
            "consent_error": consent_error,
        },
        status=status,
    )


@never_cache
@sensitive_post_parameters()  # an error report never carries the answers
@login_required
@require_http_methods(["GET", "POST"])
def privacy_page(request):
    person = request.user
    if request.method == "POST":
        form = SelfIdentificationForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        privacy.save_answers(person=person, answers=form.answers)
        messages.success(request, _("Your answers were saved. Only you can see them."))
        return redirect("people:privacy")
    return _page(request, SelfIdentificationForm.for_answers(privacy.answers_of(person)))


@login_required
@require_POST
def consent(request):
    purpose, change = request.POST.get("purpose"), request.POST.get("change")
    if purpose not in Consent.Purpose.values or change not in ("give", "revoke"):
        form = SelfIdentificationForm.for_answers(privacy.answers_of(request.user))
        error = _("Choose a consent (%(purposes)s) and whether to give or revoke it.") % {
            "purposes": ", ".join(Consent.Purpose.values)
        }
        return _page(request, form, status=400, consent_error=error)
    label = Consent.Purpose(purpose).label
    if change == "give":
        privacy.give(person=request.user, purpose=purpose)
        messages.success(request, _("You gave your consent to %(use)s.") % {"use": label})
    else:
        privacy.revoke(person=request.user, purpose=purpose)
        messages.success(
            request,
            _("You revoked your consent to %(use)s: your answers are no longer used for it.")
            % {"use": label},
        )
    return redirect("people:privacy")


@login_required
@require_POST
def erase(request):
    if privacy.erase_answers(person=request.user):
        messages.success(request, _("Your self-identification was erased."))
    else:
        messages.info(request, _("You had no self-identification to erase."))
    return redirect("people:privacy")


@never_cache
@login_required
@require_http_methods(["GET"])
def download(request):
    """Everything Belong holds on me, as one JSON file."""
    person = request.user
    body = personal_data.export_json(person)
    audit(actor=person, verb="personal_data.downloaded", obj=person)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"belong-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EraseAccountForm(forms.Form):
    confirm_email = forms.CharField(
        label=gettext_lazy("Your email address, to confirm"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"].strip().lower()
        if typed != self.person.email.lower():
            raise forms.ValidationError(
                _("Type the address you sign in with (%(email)s) to confirm.")
                % {"email": self.person.email}
            )
        return typed


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request):
    """Erase my account's personal data, once I have confirmed with my address; then I am
    signed out."""
    person = request.user
    form = EraseAccountForm(request.POST or None, person=person)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "people/erase_account.html", {"form": form}, status=400)
        personal_data.erase(person, actor=person)
        logout(request)
        messages.success(request, _("Your account's personal data was erased. Goodbye."))
        return redirect("home")
    return render(request, "people/erase_account.html", {"form": form})
