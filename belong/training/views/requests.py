"""Group training requests: the request form and "my requests" for the person who asks, and the
queue where training coordinators and DEI administrators review, decline or schedule them.

Thin views: load and authorize (training.access), call the action
(training.actions.requests), redirect with a message, or render the form again with its errors
(400) or the refusal (409)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.events.models import Event
from belong.lib.refusals import Refusal, add_to_form, page_status
from belong.people.access import role_required
from belong.training import access
from belong.training.actions import requests as actions
from belong.training.forms.requests import (
    DeclineForm,
    GroupRequestForm,
    QueueFilterForm,
    ReviewForm,
    ScheduleForm,
)
from belong.training.models import Course, GroupRequest, GroupRequestChange, TrainingPage

QUEUE_PAGE_SIZE = 50

coordinator_required = role_required(*access.REQUEST_COORDINATORS)


def _details():
    """A request with everything its pages show, in a fixed number of queries."""
    return GroupRequest.objects.select_related(
        "requester", "org_unit", "campus", "event"
    ).prefetch_related(
        Prefetch("courses", queryset=Course.objects.order_by("order", "title")),
        "windows",
        Prefetch("changes", queryset=GroupRequestChange.objects.select_related("by")),
    )


# --- the person who asks ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request):
    status = 200
    if request.method == "POST":
        form = GroupRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                group_request = actions.submit_request(
                    person=request.user,
                    group_name=data["group_name"],
                    org_unit=data["org_unit"],
                    courses=data["courses"],
                    expected_participants=data["expected_participants"],
                    windows=data["windows"],
                    format=data["format"],
                    campus=data["campus"],
                    tailoring=data["tailoring"],
                )
            except Refusal as refusal:  # the request's own refusals, and Busy
                add_to_form(form, refusal)
                status = page_status(refusal)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your request was sent to the training coordinators. You will "
                        "hear from them by email."
                    ),
                )
                return redirect("training:my_request", group_request.pk)
        else:
            status = 400
    else:
        initial = {}
        slug = request.GET.get("course", "")
        if slug:
            course = Course.objects.filter(slug=slug[:80], is_active=True).first()
            if course is not None:
                initial["courses"] = [course.pk]
        form = GroupRequestForm(initial=initial)
    return render(
        request,
        "training/requests/new.html",
        {"form": form, "page": TrainingPage.current()},
        status=status,
    )


@login_required
@require_safe
def my_requests(request):
    group_requests = (
        GroupRequest.objects.filter(requester=request.user)
        .select_related("event")
        .prefetch_related(Prefetch("courses", queryset=Course.objects.order_by("order", "title")))
        .order_by("-created_at", "-pk")
    )
    return render(request, "training/requests/mine.html", {"group_requests": group_requests})


@login_required
@require_safe
def my_request(request, pk):
    group_request = access.own_group_request(request.user, pk, _details())
    return render(
        request,
        "training/requests/detail.html",
        {
            "group_request": group_request,
            "invitation_link": _link(group_request),
        },
    )


def _link(group_request):
    """The invitation link of the request's session, while there is one to register for."""
    event = group_request.event
    if event is None or not event.invitation_code or event.status == Event.Status.CANCELLED:
        return ""
    return actions.invitation_link(event)


# --- the coordinators' queue ---------------------------------------------------------------------


@coordinator_required
@require_safe
def queue(request):
    form = QueueFilterForm(request.GET or None)
    statuses = form.statuses() if form.is_bound else QueueFilterForm().statuses()
    group_requests = (
        GroupRequest.objects.filter(status__in=statuses)
        .select_related("requester", "org_unit", "campus")
        .prefetch_related(
            Prefetch("courses", queryset=Course.objects.order_by("order", "title")), "windows"
        )
        .order_by("created_at", "pk")
    )
    page = Paginator(group_requests, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/requests/queue.html",
        {
            "form": form,
            "page_obj": page,
            "group_requests": page.object_list,
            "now": timezone.now(),
            "open_statuses": [GroupRequest.Status.NEW, GroupRequest.Status.IN_REVIEW],
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _load_for_coordinator(pk):
    return get_object_or_404(_details(), pk=pk)


def _manage_context(group_request, **forms):
    can = actions.TRANSITIONS[GroupRequest.Status(group_request.status)]
    context = {
        "group_request": group_request,
        "invitation_link": _link(group_request),
        "can_review": GroupRequest.Status.IN_REVIEW in can,
        "can_decline": GroupRequest.Status.DECLINED in can,
        "can_schedule": GroupRequest.Status.SCHEDULED in can,
        "time_zone": settings.TIME_ZONE,
    }
    if context["can_review"]:
        context["review_form"] = forms.get("review_form") or ReviewForm()
    if context["can_decline"]:
        context["decline_form"] = forms.get("decline_form") or DeclineForm()
    if context["can_schedule"]:
        context["schedule_form"] = forms.get("schedule_form") or ScheduleForm(
            group_request=group_request
        )
    return context


def _render_manage(request, group_request, *, status=200, refusal="", **forms):
    context = _manage_context(group_request, **forms)
    context["refusal"] = refusal
    return render(request, "training/requests/manage.html", context, status=status)


def _refused(request, pk, refusal):
    """Show the request as it is now, with the reason the change was refused."""
    group_request = _load_for_coordinator(pk)
    return _render_manage(
        request, group_request, status=page_status(refusal), refusal=refusal.message
    )


@coordinator_required
@require_safe
def manage_request(request, pk):
    return _render_manage(request, _load_for_coordinator(pk))


@coordinator_required
@require_POST
def review(request, pk):
    group_request = _load_for_coordinator(pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, group_request, status=400, review_form=form)
    try:
        actions.start_review(pk, actor=request.user, note=form.cleaned_data["note"])
    except Refusal as refusal:  # the request's refusals, and Busy
        return _refused(request, pk, refusal)
    messages.success(request, _("The request is in review. The requester was told."))
    return redirect("training:manage_request", pk)


@coordinator_required
@require_POST
def decline(request, pk):
    group_request = _load_for_coordinator(pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, group_request, status=400, decline_form=form)
    try:
        actions.decline(pk, actor=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:  # the request's refusals, and Busy
        if refusal.status == 400:
            add_to_form(form, refusal)
            return _render_manage(request, group_request, status=400, decline_form=form)
        return _refused(request, pk, refusal)
    messages.success(request, _("The request was declined. The requester was told why."))
    return redirect("training:manage_request", pk)


@coordinator_required
@require_POST
def schedule(request, pk):
    group_request = _load_for_coordinator(pk)
    form = ScheduleForm(request.POST, group_request=group_request)
    if not form.is_valid():
        return _render_manage(request, group_request, status=400, schedule_form=form)
    data = form.cleaned_data
    try:
        actions.schedule(
            pk,
            actor=request.user,
            course=data["course"],
            start=data["start"],
            end=data["end"],
            format=data["format"],
            campus=data["campus"],
            place=data["place"],
            online_join_details=data["online_join_details"],
            capacity=data["capacity"],
        )
    except Refusal as refusal:  # the request's refusals, and Busy
        if refusal.status == 400:
            add_to_form(form, refusal)
            return _render_manage(request, group_request, status=400, schedule_form=form)
        return _refused(request, pk, refusal)
    messages.success(
        request,
        _(
            "The session is scheduled and the requester has its invitation link. Share the "
            "link below with the group too if you wish."
        ),
    )
    return redirect("training:manage_request", pk)
