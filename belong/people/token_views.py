"""My personal access tokens for the API: list, create (the secret is shown once), revoke."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from belong.lib.refusals import add_to_form, page_status
from belong.people import actions
from belong.people.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What the token is for, for example: “my calendar script”."),
        error_messages={
            "required": gettext_lazy("Give the token a name."),
            "max_length": gettext_lazy(
                "Keep the name to %(limit_value)d characters or fewer (it has %(show_value)d)."
            ),
        },
    )
    days = forms.IntegerField(
        label=gettext_lazy("Lasts (days)"),
        min_value=1,
        error_messages={
            "required": gettext_lazy("Say how many days the token lasts."),
            "invalid": gettext_lazy("Enter a whole number of days."),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may do"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Read: look things up. Write: register, change and cancel as you. Your "
            "self-identification and consents: only when a tool of yours needs them."
        ),
        error_messages={
            "required": gettext_lazy("Choose at least one thing the token may do."),
            "invalid_choice": gettext_lazy("Choose from the list."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.max_value = settings.API_TOKEN_MAX_DAYS
        days.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        days.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        days.initial = settings.API_TOKEN_DAYS
        days.help_text = _(
            "It stops working after that: at most %(limit)d days. Create a new one then."
        ) % {"limit": settings.API_TOKEN_MAX_DAYS}
        self.fields["scopes"].initial = [ApiToken.Scope.READ, ApiToken.Scope.WRITE]


def render_tokens(request, form, *, secret=None, created=None, status=200):
    tokens = ApiToken.objects.filter(person=request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "people/tokens.html",
        {"tokens": tokens, "form": form, "secret": secret, "created": created},
        status=status,
    )


@never_cache  # the page that shows a new secret must not be kept by any cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    if request.method == "POST":
        form = TokenForm(request.POST)
        if not form.is_valid():
            return render_tokens(request, form, status=400)
        try:
            token, secret = actions.create_token(
                person=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                scopes=form.cleaned_data["scopes"],
            )
        except actions.TokenRefused as refusal:
            add_to_form(form, refusal)
            return render_tokens(request, form, status=page_status(refusal))
        return render_tokens(request, TokenForm(), secret=secret, created=token)
    return render_tokens(request, TokenForm())


@login_required
@require_POST
def revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, person=request.user)
    actions.revoke_token(person=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("people:tokens")
