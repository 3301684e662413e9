"""Applicant connections: residents and faculty volunteer as ambassadors; a residency applicant,
with no account, verifies an email address and asks for a conversation by program and
interest; the request goes to an ambassador with room (or waits for a coordinator, who routes
it); the ambassador accepts or declines. The applicant's name, address and message reach the
ambassador only on acceptance. These requests are kept apart from selection: only the
coordinators and the ambassador concerned ever see one, never program leadership, and they are
deleted after REQUEST_RETENTION_DAYS (unverified ones after a day)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belong.mentorship import access, choices
from belong.mentorship.actions.cycles import Refused
from belong.mentorship.models import Ambassador, ApplicantRequest
from belong.notifications import outbox
from belong.people.models import Person

State = ApplicantRequest.State
AMBASSADOR_KINDS = {Person.Kind.RESIDENT, Person.Kind.FELLOW, Person.Kind.FACULTY}
REQUEST_RETENTION_DAYS = 180
UNVERIFIED_HOURS = 24
INTERESTS = choices.DEI_INTERESTS + [
    (key, label) for key, label in choices.CAREER_INTERESTS if key not in {"research"}
]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _keys(values):
    known = {key for key, _label in INTERESTS}
    unknown = sorted(set(values or ()) - known)
    if unknown:
        raise Refused(
            _("Choose from the list: %(values)s is not one of its answers.")
            % {"values": ", ".join(unknown)},
            field="interests",
        )
    return sorted(set(values or ()))


# --- ambassadors -------------------------------------------------------------------------------


@transaction.atomic
def volunteer(person, *, programs, interests, introduction, show_name, monthly_limit, active):
    """Become an ambassador, or change what one offers. Residents, fellows and faculty only."""
    if person.kind not in AMBASSADOR_KINDS:
        raise Refused(
            _("Ambassadors are residents, fellows and faculty: set what you are on your profile."),
            field="person",
            status=403,
        )
    if not 1 <= monthly_limit <= 10:
        raise Refused(_("From 1 to 10 conversations a month."), field="monthly_limit")
    ambassador, _created = Ambassador.objects.update_or_create(
        person=person,
        defaults={
            "interests": _keys(interests),
            "introduction": introduction.strip(),
            "show_name": show_name,
            "monthly_limit": monthly_limit,
            "active": active,
        },
    )
    ambassador.programs.set(programs)
    return ambassador


def _month_start(now):
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def with_month_load(ambassadors, now):
    """Annotate `this_month`: the requests offered to each ambassador this month (in the
    installation's zone) that they did not decline."""
    return ambassadors.annotate(
        this_month=Count(
            "requests",
            filter=Q(requests__offered_at__gte=_month_start(now))
            & Q(requests__state__in=[State.OFFERED, State.ACCEPTED, State.CLOSED]),
        )
    )


def has_room(ambassador) -> bool:
    return ambassador.active and ambassador.this_month < ambassador.monthly_limit


# --- an applicant's request --------------------------------------------------------------------


def request_conversation(*, name, email, program, interests, message, now=None):
    """Store an unverified request and send the link that verifies the address. Returns the
    request; the token only travels in the email."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        request = ApplicantRequest.objects.create(
            name=name.strip(),
            email=email.strip(),
            program=program,
            interests=_keys(interests),
            message=message.strip(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            token_hash=token_hash(token),
        )
        outbox.queue(
            key=f"mentorship:applicant:verify:{request.pk}",
            to_email=request.email,
            template="mentorship/email/applicant_verify",
            context={"request": request, "token": token, "hours": UNVERIFIED_HOURS},
            language=request.language,
            private=True,
        )
    return request


def verify(token, *, now=None):
    """The applicant followed the link: the address is theirs. The request is routed at once
    to an ambassador with room, or waits for a coordinator. An unknown, used or expired token
    is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            ApplicantRequest.objects.select_for_update()
            .filter(token_hash=token_hash(token or ""))
            .first()
        )
        expired = request is not None and request.created_at < now - datetime.timedelta(
            hours=UNVERIFIED_HOURS
        )
        if request is None or request.state != State.UNVERIFIED or expired:
            raise Refused(
                _("This link is not valid any more. Ask again: it takes a minute."), status=404
            )
        request.state, request.verified_at = State.WAITING, now
        request.save(update_fields=["state", "verified_at"])
        _route(request, now=now)
    return request


def _choose(request, now):
    candidates = with_month_load(
        Ambassador.objects.filter(active=True, person__is_active=True).exclude(
            pk__in=request.declined_by.values("pk")
        ),
        now,
    ).prefetch_related("programs")
    best, best_key = None, None
    wanted = set(request.interests)
    for ambassador in candidates:
        if not has_room(ambassador):
            continue
        same_program = request.program_id is not None and any(
            unit.pk == request.program_id for unit in ambassador.programs.all()
        )
        key = (
            not same_program,
            -len(wanted & set(ambassador.interests)),
            ambassador.this_month,
            ambassador.pk,
        )
        if best_key is None or key < best_key:
            best, best_key = ambassador, key
    return best


def _offer(request, ambassador, now):
    request.state, request.ambassador, request.offered_at = State.OFFERED, ambassador, now
    request.save(update_fields=["state", "ambassador", "offered_at"])
    person = ambassador.person
    outbox.queue(
        key=f"mentorship:applicant:offered:{request.pk}:{ambassador.pk}",
        to_email=person.email,
        person=person,
        template="mentorship/email/applicant_offered",
        context={"person": person, "request": request, "interests": interest_labels(request)},
        private=True,
    )


def _route(request, *, now):
    ambassador = _choose(request, now)
    if ambassador is not None:
        _offer(request, ambassador, now)
    else:
        request.state, request.ambassador = State.WAITING, None
        request.save(update_fields=["state", "ambassador"])


def route(request_id, *, actor, ambassador_id, now=None):
    """A coordinator offers a waiting request to an ambassador who has room."""
    access.coordinator_or_403(actor)
    now = now or timezone.now()
    with transaction.atomic():
        request = ApplicantRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise Refused(_("There is no such request."), field="request", status=404)
        if request.state != State.WAITING:
            raise Refused(_("This request is not waiting for an ambassador."), status=409)
        ambassador = (
            with_month_load(Ambassador.objects.filter(pk=ambassador_id), now)
            .select_related("person")
            .first()
        )
        if ambassador is None or not has_room(ambassador):
            raise Refused(
                _("This ambassador is not taking requests or has no room this month."),
                field="ambassador",
            )
        _offer(request, ambassador, now)
    return request


def answer(request_id, *, person, accept, now=None):
    """The ambassador the request is offered to accepts it (and gets the applicant's details),
    or declines it (it goes to another ambassador, or waits for a coordinator)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            ApplicantRequest.objects.select_for_update(of=("self",))
            .filter(pk=request_id, ambassador__person=person, state=State.OFFERED)
            .select_related("ambassador__person", "program")
            .first()
        )
        if request is None:
            raise Refused(_("There is no such request for you."), field="request", status=404)
        if not accept:
            ambassador = request.ambassador  # an offered request has one (the query says so)
            if ambassador is not None:
                request.declined_by.add(ambassador)
            request.ambassador = None
            _route(request, now=now)
            return request
        request.state, request.accepted_at = State.ACCEPTED, now
        request.save(update_fields=["state", "accepted_at"])
        outbox.queue(
            key=f"mentorship:applicant:accepted:{request.pk}",
            to_email=person.email,
            person=person,
            template="mentorship/email/applicant_accepted",
            context={"person": person, "request": request, "interests": interest_labels(request)},
            private=True,
        )
        outbox.queue(
            key=f"mentorship:applicant:connected:{request.pk}",
            to_email=request.email,
            template="mentorship/email/applicant_connected",
            context={"request": request, "ambassador": request.ambassador},
            language=request.language,
            private=True,
        )
    return request


def labels_of(keys):
    return [str(label) for label in choices.labels(INTERESTS, keys)]


def interest_labels(request):
    return labels_of(request.interests)


def purge(now=None) -> int:
    """Delete unverified requests after UNVERIFIED_HOURS and every request after
    REQUEST_RETENTION_DAYS: an applicant's details are not kept for longer than a season."""
    now = now or timezone.now()
    stale = Q(
        state=State.UNVERIFIED, created_at__lt=now - datetime.timedelta(hours=UNVERIFIED_HOURS)
    )
    old = Q(created_at__lt=now - datetime.timedelta(days=REQUEST_RETENTION_DAYS))
    doomed = ApplicantRequest.objects.filter(stale | old)
    count = doomed.count()
    doomed.delete()
    return count
