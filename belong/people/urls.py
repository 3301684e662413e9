from django.urls import path

from belong.people import privacy_views, token_views, views
from belong.people.mfa import views as two_step
from belong.people.sso import oidc, shibboleth

app_name = "people"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/privacy/", privacy_views.privacy_page, name="privacy"),
    path("me/privacy/consent/", privacy_views.consent, name="privacy_consent"),
    path("me/privacy/erase/", privacy_views.erase, name="privacy_erase"),
    path("me/privacy/download/", privacy_views.download, name="privacy_download"),
    path("me/privacy/erase-account/", privacy_views.erase_account, name="erase_account"),
    path("me/tokens/", token_views.tokens, name="tokens"),
    path("me/tokens/<id:token_id>/revoke/", token_views.revoke, name="token_revoke"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("me/two-step/", two_step.status, name="two_step"),
    path("me/two-step/set-up/", two_step.set_up, name="two_step_set_up"),
    path("me/two-step/recovery-codes/", two_step.new_codes, name="two_step_new_codes"),
    path("sign-in/code/", two_step.verify, name="two_step_verify"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sso/oidc/", oidc.SignInView.as_view(), name="oidc_sign_in"),
    path("sso/oidc/callback/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("sso/saml/", shibboleth.sign_in, name="saml_sign_in"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
