"""Who may do what, decided in one place. Views, the API and commands call these."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from belong.people import roles

STAFF_ROLES = (
    roles.FACILITATOR,
    roles.TRAINING_COORDINATOR,
    roles.MENTORSHIP_COORDINATOR,
    roles.DEI_ADMINISTRATOR,
    roles.ANALYST,
)


def is_signed_in(person) -> bool:
    """Signed in and active: the one test of "a person, not a visitor" that every predicate
    starts from. An inactive account (a leaver, or one an operator switched off) is a visitor
    everywhere, whatever roles, memberships or registrations it still holds."""
    return bool(person is not None and person.is_authenticated and person.is_active)


def has_role(person, *names):
    return is_signed_in(person) and person.has_role(*names)


def allowed_or_403(predicate):
    """A page's decorator: sign-in first (a visitor is sent to sign in), then
    `predicate(person)` (403 when it says no). The predicate is an app's `can_*` from its
    access.py, so the page and the API ask the same question."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_required(*names):
    """Sign-in first (redirect), then one of the roles (403)."""
    return allowed_or_403(lambda person: has_role(person, *names))


# --- who may change what about a person (the admin; DESIGN: roles are granted, never taken) ---

# What a DEI administrator may change about someone: the names and where they sit.
PROFILE_FIELDS = (
    "full_name",
    "preferred_name",
    "pronouns",
    "name_pronunciation",
    "credentials",
    "kind",
    "org_unit",
    "campus",
)
# Only operators change these: the address (a password reset goes to it), the person's own
# preferences, and access itself.
ACCOUNT_FIELDS = ("email", "language", "email_announcements")
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups")


def is_operator(person) -> bool:
    """An operator of the installation: an active superuser. Only operators grant or remove
    roles, admin access and operator status."""
    return is_signed_in(person) and bool(person.is_superuser)


def can_send_password_reset(actor) -> bool:
    """Send someone the password reset email (to their own address): operators and DEI
    administrators."""
    return is_operator(actor) or has_role(actor, roles.DEI_ADMINISTRATOR)


def editable_person_fields(actor, person) -> tuple[str, ...]:
    """The fields of `person` (None: a new person) that `actor` may set. Operators set every
    field but the password (no one but the person, or the reset email, does) and, on their own
    record, their access; DEI administrators set names and places, never an operator's, and
    add nobody (an account made with an address of their own would be a second self to name a
    collective's leader, and see its members); nobody else anything."""
    if is_operator(actor):
        if person is None:
            return ("email", *PROFILE_FIELDS)
        fields = PROFILE_FIELDS + ACCOUNT_FIELDS
        if person.pk != actor.pk:
            fields += ACCESS_FIELDS
        return fields
    if has_role(actor, roles.DEI_ADMINISTRATOR):
        if person is not None and not person.is_superuser:
            return PROFILE_FIELDS
    return ()
