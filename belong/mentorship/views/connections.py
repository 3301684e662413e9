"""Applicant connections' pages: the public page where an applicant asks for a conversation
(/mentorship/connect/) and confirms their address, the ambassadors' page (volunteer, accept or
decline), and the coordinators' page (route what waits). Kept apart from selection: nobody but
the coordinators and the ambassador concerned sees a request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.lib import ratelimit
from belong.lib.refusals import add_to_form
from belong.mentorship import access
from belong.mentorship.actions import connections
from belong.mentorship.actions.cycles import Refused
from belong.mentorship.forms import AmbassadorForm, ApplicantRequestForm, RouteForm
from belong.mentorship.models import Ambassador, ApplicantRequest
from belong.people.access import role_required

REQUESTS_PER_HOUR_PER_ADDRESS = 5
REQUESTS_PER_DAY_PER_EMAIL = 3
coordinator_only = role_required(*access.COORDINATORS)


def _public_ambassadors():
    return (
        Ambassador.objects.filter(active=True, person__is_active=True)
        .select_related("person")
        .prefetch_related("programs")
        .order_by("pk")
    )


def _labelled(ambassadors):
    for ambassador in ambassadors:
        ambassador.interest_labels = connections.labels_of(ambassador.interests)
    return ambassadors


@never_cache
@require_http_methods(["GET", "POST"])
def connect(request):
    """Ask for a conversation with a resident or faculty member, without an account."""
    form = ApplicantRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"].lower()
            allowed = ratelimit.allow(
                "applicant-request",
                ratelimit.client_ip(request),
                limit=REQUESTS_PER_HOUR_PER_ADDRESS,
                window=3600,
            ) and ratelimit.allow(
                "applicant-email", email, limit=REQUESTS_PER_DAY_PER_EMAIL, window=86400
            )
            if not allowed:
                response = render(
                    request,
                    "mentorship/connect.html",
                    {
                        "form": form,
                        "ambassadors": _labelled(_public_ambassadors()),
                        "refusal": _("Too many requests: please try again later."),
                    },
                    status=429,
                )
                response["Retry-After"] = str(ratelimit.retry_after(3600))
                return response
            connections.request_conversation(**form.cleaned_data)
            return render(
                request, "mentorship/connect_sent.html", {"email": form.cleaned_data["email"]}
            )
        status = 400
    return render(
        request,
        "mentorship/connect.html",
        {"form": form, "ambassadors": _labelled(_public_ambassadors())},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def connect_verify(request, token):
    """The link in the email: a button confirms (a mail scanner that follows links verifies
    nothing), then the request is routed."""
    if request.method == "GET":
        return render(request, "mentorship/connect_verify.html", {"token": token})
    try:
        connections.verify(token)
    except Refused as refusal:
        return render(
            request,
            "mentorship/connect_verify.html",
            {"token": token, "refusal": refusal.message},
            status=404,
        )
    return render(request, "mentorship/connect_verify.html", {"token": token, "done": True})


def _ambassador_page(request, form, status=200):
    ambassador = getattr(request.user, "ambassador", None)
    requests = (
        ApplicantRequest.objects.filter(ambassador__person=request.user)
        .filter(state__in=[ApplicantRequest.State.OFFERED, ApplicantRequest.State.ACCEPTED])
        .select_related("program")
        .order_by("-offered_at", "-pk")
    )
    for item in requests:
        item.interest_labels = connections.interest_labels(item)
    return render(
        request,
        "mentorship/ambassador.html",
        {
            "form": form,
            "ambassador": ambassador,
            "requests": requests,
            "may_volunteer": request.user.kind in connections.AMBASSADOR_KINDS,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ambassador(request):
    """Volunteer as an ambassador or change what you offer; the requests offered to you."""
    current = Ambassador.objects.filter(person=request.user).prefetch_related("programs").first()
    if request.method == "GET":
        return _ambassador_page(request, AmbassadorForm(ambassador=current))
    form = AmbassadorForm(request.POST)
    if form.is_valid():
        try:
            connections.volunteer(request.user, **form.cleaned_data)
        except Refused as refusal:
            add_to_form(form, refusal)
            return _ambassador_page(request, form, status=refusal.status)
        messages.success(request, _("Saved. Thank you for talking with applicants."))
        return redirect("mentorship:ambassador")
    return _ambassador_page(request, form, status=400)


@login_required
@require_POST
def ambassador_answer(request, pk):
    accept = request.POST.get("answer") == "accept"
    if request.POST.get("answer") not in ("accept", "decline"):
        messages.error(request, _("Accept or decline the request."))
        return redirect("mentorship:ambassador")
    try:
        connections.answer(pk, person=request.user, accept=accept)
    except Refused as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
        return redirect("mentorship:ambassador")
    if accept:
        messages.success(
            request, _("Accepted: the applicant's details are below and in your email.")
        )
    else:
        messages.success(request, _("Declined: the request goes to someone else."))
    return redirect("mentorship:ambassador")


def _ambassadors(now):
    """Every ambassador with this month's load, by name (one query, and one for programs)."""
    return list(
        connections.with_month_load(Ambassador.objects.select_related("person"), now)
        .prefetch_related("programs")
        .order_by("person__full_name", "pk")
    )


def _connections_context(route_forms=None):
    now = timezone.now()
    waiting = list(
        ApplicantRequest.objects.filter(state=ApplicantRequest.State.WAITING)
        .select_related("program")
        .order_by("verified_at", "pk")
    )
    ambassadors = _ambassadors(now)
    with_room = [a for a in ambassadors if connections.has_room(a)]
    for item in waiting:
        item.interest_labels = connections.interest_labels(item)
        item.form = (route_forms or {}).get(item.pk) or RouteForm(
            ambassadors=with_room, prefix=f"r{item.pk}"
        )
    counts = ApplicantRequest.objects.aggregate(
        offered=Count("pk", filter=Q(state=ApplicantRequest.State.OFFERED)),
        accepted=Count("pk", filter=Q(state=ApplicantRequest.State.ACCEPTED)),
    )
    return {"waiting": waiting, "ambassadors": ambassadors, "counts": counts}


@never_cache
@coordinator_only
@require_safe
def manage_connections(request):
    return render(request, "mentorship/manage/connections.html", _connections_context())


@coordinator_only
@require_POST
def manage_route(request, pk):
    now = timezone.now()
    with_room = [a for a in _ambassadors(now) if connections.has_room(a)]
    form = RouteForm(request.POST, ambassadors=with_room, prefix=f"r{pk}")
    if form.is_valid():
        try:
            connections.route(
                pk, actor=request.user, ambassador_id=form.cleaned_data["ambassador"].pk
            )
        except Refused as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("The request is offered to the ambassador."))
            return redirect("mentorship:manage_connections")
    context = _connections_context(route_forms={pk: form})
    return render(request, "mentorship/manage/connections.html", context, status=400)
