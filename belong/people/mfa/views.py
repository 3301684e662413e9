"""The two-step sign-in pages under /me/two-step/: the state of it, setting up (or replacing)
the authenticator, new recovery codes, and the code asked for at sign-in."""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from belong.lib.refusals import Refusal, add_to_form, page_status
from belong.people.mfa import AUTH_METHOD_KEY, SSO, actions, rules
from belong.people.mfa.forms import CodeForm


def next_url(request) -> str:
    """Where to go once the step is done: the `next` asked for, if it is this site's."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_code(device) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title=_("QR code to scan with your authenticator app"),
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308 (segno escapes)


def _key_text(device) -> str:
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _render_set_up(request, form, *, status=200):
    device = actions.start_enrolment(person=request.user)
    return render(
        request,
        "people/mfa/set_up.html",
        {
            "form": form,
            "qr_code": _qr_code(device),
            "key_text": _key_text(device),
            "replacing": rules.is_enrolled(request.user),
            "forced": rules.step_needed(request) == rules.ENROL,
            "next": next_url(request)
            if request.GET.get("next") or request.POST.get("next")
            else "",
        },
        status=status,
    )


def _render_codes(request, codes, *, replaced=False, first=False, then=None):
    return render(
        request,
        "people/mfa/codes.html",
        {"codes": codes, "replaced": replaced, "first": first, "next": then or next_url(request)},
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def status(request):
    person = request.user
    return render(
        request,
        "people/mfa/status.html",
        {
            "enrolled": rules.is_enrolled(person),
            "required": rules.required_for(person),
            "codes_left": rules.recovery_codes_left(person),
            "signed_in_with_sso": request.session.get(AUTH_METHOD_KEY) == SSO,
        },
    )


@never_cache  # the page shows the authenticator's secret key
@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Set up an authenticator app (or replace the one in use): scan the QR code or type the
    key, then confirm with a code it shows. The recovery codes are shown once, after."""
    if request.method == "GET":
        return _render_set_up(request, CodeForm())
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _render_set_up(request, form, status=400)
    try:
        device, codes, replaced = actions.confirm_enrolment(
            person=request.user, code=form.cleaned_data["code"]
        )
    except Refusal as refusal:
        add_to_form(form, refusal)
        return _render_set_up(request, form, status=page_status(refusal))
    if replaced:
        # Every other sign-in ended with the session epoch; this one goes on.
        request.user.refresh_from_db(fields=["session_epoch"])
        update_session_auth_hash(request, request.user)
    django_otp.login(request, device)
    return _render_codes(request, codes, replaced=replaced, first=not replaced)


@never_cache  # the page shows the new codes
@login_required
@require_POST
def new_codes(request):
    try:
        codes = actions.regenerate_recovery_codes(person=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal.message))
        return redirect("people:two_step")
    return _render_codes(request, codes, then=reverse("people:two_step"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of a sign-in with a password: a code from the authenticator app, or a
    recovery code."""
    if rules.step_needed(request) != rules.VERIFY:
        return redirect(next_url(request))
    form = CodeForm(request.POST or None, recovery=True)
    status_code = 200
    if request.method == "POST":
        status_code = 400
        if form.is_valid():
            try:
                device = actions.verify_code(person=request.user, code=form.cleaned_data["code"])
            except Refusal as refusal:
                add_to_form(form, refusal)
                status_code = page_status(refusal)
            else:
                django_otp.login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        ngettext(
                            "You used a recovery code: it will not work again. %(left)d is "
                            "left; make new ones on your two-step sign-in page.",
                            "You used a recovery code: it will not work again. %(left)d are "
                            "left; make new ones on your two-step sign-in page.",
                            left,
                        )
                        % {"left": left},
                    )
                return redirect(next_url(request))
    return render(
        request,
        "people/mfa/verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next") or ""},
        status=status_code,
    )
