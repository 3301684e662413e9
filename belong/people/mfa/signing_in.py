"""The sign-in page's hook: after a correct password, the session says so, and the person
goes to the step they owe (the code, or setting up an authenticator) with where they were
going kept for after."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from belong.people.mfa import AUTH_METHOD_KEY, PASSWORD, rules
from belong.people.mfa.middleware import STEP_PAGES


def after_password(request, response):
    request.session[AUTH_METHOD_KEY] = PASSWORD
    step = rules.step_needed(request)
    if not step:
        return response
    target = redirect_to_login(response["Location"], reverse(STEP_PAGES[step]))
    target.cookies = response.cookies  # the device cookie the sign-in set
    return target
