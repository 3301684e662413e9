"""Every write about a person's two-step sign-in.

Checking a code is not one transaction: django-otp counts a wrong code on the device
(its throttling: each wrong code doubles the wait before the next try, OTP_*_THROTTLE_FACTOR
seconds after the first), and that count must stay written when the code is refused. So the
code is checked in a transaction of its own (the device locked, so two requests cannot both
use one code), and the refusal is raised after it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from belong.lib.refusals import Refusal
from belong.people import access
from belong.people.actions import audit, tell_about_account
from belong.people.mfa import AUTHENTICATOR, RECOVERY, RECOVERY_CODES, rules
from belong.people.models import Person


class CodeRefused(Refusal):
    """A code that is wrong, malformed or tried too soon after wrong ones (nothing verified)."""

    field = "code"
    code = "code_refused"


class TwoStepRefused(Refusal):
    """A two-step change that does not apply (409: the state of the account)."""

    status = 409
    code = "two_step"


def _clean(code) -> str:
    return "".join(str(code or "").split()).lower()


def _is_authenticator_code(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) in (6, 8)


def _check_allowed(device) -> None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return
    until = (data or {}).get("locked_until")
    if until is None:
        raise CodeRefused(_("Too many wrong codes: wait a moment and try again."), status=429)
    raise CodeRefused(
        _("Too many wrong codes: try again after %(time)s.")
        % {"time": formats.time_format(timezone.localtime(until), "H:i:s")},
        status=429,
    )


def _try(person, device_model, code, *, confirmed=True):
    """(the person's device of `device_model`, whether it accepts `code`), checked in a
    transaction of its own with the device locked, so that a wrong code is counted and stays
    counted; (None, False) when they have none; a CodeRefused while it waits after wrong ones."""
    with transaction.atomic():
        device = (
            device_model.objects.select_for_update()
            .filter(user=person, confirmed=confirmed)
            .order_by("-pk")
            .first()
        )
        if device is None:
            return None, False
        _check_allowed(device)
        # django-otp's verify_token counts a wrong code on the device, or resets the count.
        return device, device.verify_token(code)


def _verify(person, device_model, code):
    device, accepted = _try(person, device_model, code)
    if not accepted:
        raise CodeRefused(_("That code is not right. Check it and try again."))
    return device


def verify_code(*, person: Person, code) -> TOTPDevice | StaticDevice:
    """The second step at sign-in: a code from the person's authenticator (6 digits) or one of
    their recovery codes (which then stops working). Returns the device that accepted it;
    refuses a wrong code (400), or any code while the device waits after wrong ones (429)."""
    code = _clean(code)
    if not code:
        raise CodeRefused(_("Enter the code from your authenticator app, or a recovery code."))
    if len(code) > 16:
        raise CodeRefused(_("That code is not right. Check it and try again."))
    if _is_authenticator_code(code):
        return _verify(person, TOTPDevice, code)
    device = _verify(person, StaticDevice, code)
    audit(actor=person, verb="mfa.recovery_code_used", obj=person)
    return device


@transaction.atomic
def start_enrolment(*, person: Person) -> TOTPDevice:
    """The authenticator the person is setting up: the one already started (so the QR code
    stays the same when the page is shown again), or a new one. Not used until confirmed."""
    device = rules.authenticator(person, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=person, name=AUTHENTICATOR, confirmed=False)
    return device


def _new_codes(person: Person) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=person, name=RECOVERY, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device=device).delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes and not _is_authenticator_code(token):
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    if not device.confirmed:
        device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    return codes


def confirm_enrolment(*, person: Person, code):
    """The person typed a code from the authenticator being set up: it becomes their
    authenticator, with RECOVERY_CODES new recovery codes (any earlier ones stop working).
    When it replaces one, the old one stops working and every other sign-in of the person ends
    (the session epoch; the page keeps its own session). Returns (device, codes, replaced)."""
    code = _clean(code)
    if not _is_authenticator_code(code):
        raise CodeRefused(_("Enter the 6-digit code your authenticator app shows."))
    device, accepted = _try(person, TOTPDevice, code, confirmed=False)
    if device is None:
        raise TwoStepRefused(
            _("Start again: open the set-up page to get a new QR code."), field="code"
        )
    if not accepted:
        raise CodeRefused(_("That code is not right. Check it and try again."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        replaced = TOTPDevice.objects.filter(user=person, confirmed=True).exists()
        TOTPDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, name=AUTHENTICATOR)
        device.refresh_from_db()
        codes = _new_codes(person)
        if replaced:
            Person.objects.filter(pk=person.pk).update(session_epoch=F("session_epoch") + 1)
            event = audit(actor=person, verb="mfa.replaced", obj=person)
            tell_about_account(
                person,
                [
                    _(
                        "Your two-step sign-in authenticator was replaced, and every other "
                        "sign-in ended. If you did not do this, tell an operator at once."
                    )
                ],
                key=f"mfa-replaced:{person.pk}:{event.pk}",
            )
        else:
            audit(actor=person, verb="mfa.enrolled", obj=person)
    return device, codes, replaced


@transaction.atomic
def regenerate_recovery_codes(*, person: Person) -> list[str]:
    """RECOVERY_CODES new recovery codes for an enrolled person; the earlier ones stop
    working."""
    if not rules.is_enrolled(person):
        raise TwoStepRefused(_("Set up an authenticator app first."))
    codes = _new_codes(person)
    audit(actor=person, verb="mfa.recovery_codes_made", obj=person)
    return codes


def can_reset(actor, person) -> bool:
    """Only operators reset someone's two-step sign-in, and never their own (they replace
    their authenticator on their own page)."""
    return access.is_operator(actor) and person is not None and actor.pk != person.pk


@transaction.atomic
def reset_two_step(person_id, *, actor) -> Person:
    """An operator resets a person's two-step sign-in (a lost phone): every device and
    recovery code of theirs is deleted and every sign-in of theirs ends (the session epoch); at
    their next sign-in they set up a new authenticator (or are not asked, without a staff
    role). Audited; the person is told by email."""
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or not can_reset(actor, person):
        raise PermissionDenied(_("Only operators reset someone else's two-step sign-in."))
    for devices in rules.devices_of(person):
        devices.delete()
    Person.objects.filter(pk=person.pk).update(session_epoch=F("session_epoch") + 1)
    person.refresh_from_db(fields=["session_epoch"])
    event = audit(actor=actor, verb="mfa.reset", obj=person)
    tell_about_account(
        person,
        [
            _(
                "Your two-step sign-in was reset by an operator, and every sign-in of yours "
                "ended. Sign in again; you will be asked to set up an authenticator app if your "
                "role needs one."
            )
        ],
        key=f"mfa-reset:{person.pk}:{event.pk}",
    )
    return person
