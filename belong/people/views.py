from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from belong.people import actions, lockout, me_sections
from belong.people.forms import PasswordResetRequestForm, ProfileForm, SignInForm
from belong.people.mfa import signing_in as two_step
from belong.people.sso import oidc as sso_oidc
from belong.people.sso import sign_in_options as sso_options


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "people/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sso_options()}

    def form_valid(self, form):
        response = super().form_valid(form)
        # This browser is now a known device of the account: nobody else's failures lock it.
        lockout.issue_device_cookie(response, self.request.user.get_username())
        # A code, or setting up an authenticator, before anything else (belong.people.mfa).
        return two_step.after_password(self.request, response)


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        # A single sign-on ends at the provider too, where it offers that (RP-initiated logout).
        provider = sso_oidc.logout_url(request.session, after=request.build_absolute_uri("/"))
        response = super().post(request, *args, **kwargs)
        return redirect(provider) if provider else response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "people/password_reset.html"
    success_url = reverse_lazy("people:password_reset_done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sso_options()}

    def form_valid(self, form):
        # The same work for every address (no look-up here): a task finds the account, if any.
        actions.request_password_reset(email=form.cleaned_data["email"])
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"


@login_required
def me(request):
    person = request.user
    return render(
        request,
        "people/me.html",
        {
            "person": person,
            # Each domain's part of the page and its links in the side list, registered by the
            # domain (people imports none).
            **me_sections.context(person),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    person = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            actions.update_profile(person=person, form=form)
            messages.success(request, _("Your profile was saved."))
            response = redirect("people:profile")
            # A person who changes their language sees it at once in this browser.
            from django.conf import settings

            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                person.language,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
        return render(request, "people/profile.html", {"form": form}, status=400)
    return render(request, "people/profile.html", {"form": ProfileForm(instance=person)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request):
    """Every sign-in of the person ends (belong.people.actions.sign_out_everywhere), this one at
    once; they are sent to sign in again."""
    if request.method == "GET":
        return render(request, "people/sign_out_everywhere.html")
    actions.sign_out_everywhere(person=request.user)
    logout(request)
    messages.success(request, _("You are signed out everywhere. Sign in again to go on."))
    return redirect("people:login")
