"""Single sign-on (issue 16 parts 1 and 2): OpenID Connect (`oidc`) and SAML through the
Shibboleth service provider (`shibboleth`). Both find a person by the provider's issuer and
subject (`accounts`), create them on a first sign-in and update them from the provider's
claims through belong.people.directory, the one place the institution's facts are applied."""

# The session says how it signed in: "sso" for single sign-on (no MFA is asked: the provider
# does it), absent or "password" for a local password.
AUTH_METHOD_KEY = "belong_auth_method"
SSO = "sso"


def sign_in_options() -> dict:
    """What the sign-in and password pages offer: the single sign-on buttons, and whether local
    passwords are for operators only."""
    from django.conf import settings

    from belong.people.sso import oidc, shibboleth

    return {
        "sso_name": settings.SSO_NAME,
        "oidc_enabled": oidc.enabled(),
        "saml_enabled": shibboleth.enabled(),
        "passwords_for_operators_only": settings.LOCAL_PASSWORDS == "operators",
    }
