"""Two-step sign-in (MFA) for people who sign in with a local password (issue 16 part 6).

A person who signs in with a password and has a confirmed authenticator (a TOTP device) is
asked for a code from it, or one of their recovery codes, before anything else works; someone
who holds a staff role (`belong.people.sessions.holds_staff_role`) and has none is sent to set
one up first (BELONG_MFA_REQUIRED_FOR_STAFF). People who signed in through single sign-on are
never asked: their institution's provider does it.

How a session says how it signed in: ``request.session[AUTH_METHOD_KEY]`` is ``SSO`` for a
single sign-on, ``PASSWORD`` (or absent) for a local password. Absent counts as a password, so
a sign-in path that forgets to say is asked for the second step, never let through. The one
exception is a sign-in made outside any HTTP request (Django's test client `force_login`, a
shell): no one typed a password there, and the session says so (OUTSIDE_REQUEST_KEY); no
request from a browser can make such a sign-in (see `rules.step_needed`).

The parts: `rules` (who is asked what), `middleware` (everything else waits), `actions` (every
write: enrolment, recovery codes, verification with django-otp's throttling, the operator's
reset), `views` and `forms` (the pages under /me/two-step/).
"""

# The session key saying how the person signed in, set by each sign-in path: one definition,
# single sign-on's (belong.people.sso), where it is set to SSO.
from belong.people.sso import AUTH_METHOD_KEY, SSO  # noqa: E402, F401

PASSWORD = "password"  # noqa: S105 (a name of a sign-in method)

# Set on a session signed in outside any HTTP request (the test client's force_login).
OUTSIDE_REQUEST_KEY = "belong_signed_in_outside_request"

# How many recovery codes a person gets at a time.
RECOVERY_CODES = 10

# The names of the devices Belong makes (django-otp's Device.name).
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"
