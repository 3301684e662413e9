"""The one refusal vocabulary: an action that will not do what it was asked raises a `Refusal`.

A refusal says, for the person, what is wrong (`message`), what it is about (`field`: a form
field's name, or the thing refused, such as "event"), the HTTP status that fits (`status`: 400
for bad input, 401 for a missing sign-in, 403 for too low a role or a missing invitation, 404
for what the person may not see, 409 for the state of the thing), a short `code` a client can
test, and, when several fields are at fault, `field_errors` (``{"field": ["message"]}``).

Each app names its own (``events.actions.Refused``, ``collectives.actions.memberships.Refused``,
``training.actions.requests.RequestRefused``...) as a subclass with its own defaults, and
`Busy` sits beside it: the thing asked about is locked by others for too long, nothing was
changed, try again (503 with ``Retry-After``).

Nothing changed when a refusal is raised. Where it becomes an answer:
- the API: one exception handler (``belong.api.errors.install``) answers any refusal in the
  API's error shape, ``{"detail": message, "errors": {field: [message]}}``, with its status;
- an HTML form: `add_to_form` shows it at its field (or above the form), and `page_status`
  is the status to show the form again with.
"""

from django.utils.functional import Promise


class Refusal(Exception):
    """A request the rules do not allow; nothing was changed."""

    # Always text on a refusal raised; a Busy subclass's default may be a lazy translation.
    message: str | Promise
    field: str | None = None
    status = 400
    code = "refused"

    def __init__(self, message, *, field=None, status=None, code=None, field_errors=None):
        super().__init__(message)
        self.message = str(message)
        if field is not None:
            self.field = field
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.field_errors = field_errors

    def errors_by_field(self) -> dict:
        """``{field: [message]}`` for the error shape (``{}`` for a refusal about no field)."""
        if self.field_errors:
            return self.field_errors
        return {self.field: [self.message]} if self.field else {}


class Busy(Refusal):
    """What was asked about is locked by others for too long; nothing was changed, and asking
    again soon will likely work (503, with ``Retry-After``). Subclasses say what is busy in
    their class attribute `message`."""

    status = 503
    code = "busy"
    # How long a client should wait before trying again (seconds): the answer's Retry-After.
    retry_after = 2

    def __init__(self, message=None, **kwargs):
        super().__init__(type(self).message if message is None else message, **kwargs)


def add_to_form(form, refusal):
    """Show `refusal` on `form`: at its field when the form has one by that name, else above."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def page_status(refusal):
    """The status of the page that shows a refusal: its own when it is a client's (4xx) or
    `Busy` (503), else 409 (a refusal of another kind is about the state of things)."""
    if isinstance(refusal, Busy) or 400 <= refusal.status < 500:
        return refusal.status
    return 409
