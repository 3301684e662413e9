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


def has_role(person, *names):
    return bool(person is not None and person.is_authenticated and person.has_role(*names))


def role_required(*names):
    """Sign-in first (redirect), then the role (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *names):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
