"""The coordinators' and facilitators' pages under /training/manage/: the overview of sessions
(and, for coordinators, the next lectures), courses (create, edit, pre-work files), sessions
(several dates at once, edit, cancel, keep a short one running, pre-work files), and the
rosters of sessions and lectures (attendance in bulk, CSV export).

Who may do what is decided in belong.training.access: training coordinators and DEI
administrators run the catalog; facilitators see the rosters of the sessions they facilitate
and mark attendance there; anyone else gets 403, visitors are sent to sign in. Thin views: load
and authorize, call the action (belong.training.actions.catalog, belong.events.actions),
redirect with a message, or render the form again with its errors (400) or the refusal. The
steps every event host shares (edit, cancel, roster, attendance) are belong.events.manage's."""

import csv
import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.events import manage
from belong.events.models import Event, Registration
from belong.lib.refusals import Refusal, add_to_form, page_status
from belong.lib.request_limits import accepts_uploads
from belong.lib.spreadsheet import csv_cell
from belong.training import access
from belong.training.actions import catalog
from belong.training.forms.courses import (
    DEFAULT_DATE_ROWS,
    MAX_DATE_ROWS,
    CancelSessionForm,
    CourseForm,
    PreworkUploadForm,
    SessionDetailsForm,
    SessionEditForm,
    date_formset_class,
)
from belong.training.models import Course, PreworkFile

State = Registration.State
RECENT_DAYS = 30
OVERVIEW_LECTURES = 10


def _course_type():
    return ContentType.objects.get_for_model(Course)


# --- the overview -----------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def overview(request):
    """Upcoming sessions with their numbers, recent sessions still waiting for attendance, and
    (for coordinators) the next lectures and the courses. Facilitators see only the sessions
    they facilitate."""
    person = request.user
    if not access.can_see_manage_page(person):
        raise PermissionDenied
    runs_catalog = access.can_run_catalog(person)
    now = timezone.now()
    sessions = Event.objects.filter(kind=Event.Kind.SESSION)
    if not runs_catalog:
        facilitated = Event.facilitators.through.objects.filter(
            event=OuterRef("pk"), person=person.pk
        )
        sessions = sessions.filter(Exists(facilitated))
    upcoming = list(
        sessions.filter(start__gte=now)
        .exclude(status=Event.Status.CANCELLED)
        .with_counts()
        .select_related("campus")
        .order_by("start", "pk")
    )
    for event in upcoming:
        event.needed = event.needed_to_run(event.registered_count)
        event.short = event.is_short(event.registered_count, now)
    unmarked = list(
        sessions.filter(start__lt=now, start__gte=now - datetime.timedelta(days=RECENT_DAYS))
        .exclude(status=Event.Status.CANCELLED)
        .annotate(
            unmarked_count=Count("registrations", filter=Q(registrations__state=State.REGISTERED))
        )
        .filter(unmarked_count__gt=0)
        .order_by("-start", "-pk")
    )
    courses, lectures = [], []
    if runs_catalog:
        lectures = list(
            Event.objects.filter(kind=Event.Kind.LECTURE)
            .upcoming(now)
            .with_counts()
            .order_by("start", "pk")[:OVERVIEW_LECTURES]
        )
        courses = list(
            Course.objects.annotate(
                upcoming_count=Count(
                    "sessions",
                    filter=Q(sessions__start__gte=now)
                    & ~Q(sessions__status=Event.Status.CANCELLED),
                )
            ).order_by("order", "title")
        )
    return render(
        request,
        "training/manage/overview.html",
        {
            "upcoming": upcoming,
            "unmarked": unmarked,
            "courses": courses,
            "lectures": lectures,
            "runs_catalog": runs_catalog,
            "cutoff_days": settings.MINIMUM_CUTOFF_DAYS,
            "recent_days": RECENT_DAYS,
        },
    )


# --- courses ----------------------------------------------------------------------------------


def _course_page(request, course, *, form=None, upload_form=None, status=200):
    return render(
        request,
        "training/manage/course_form.html",
        {
            "course": course,
            "form": form or CourseForm(instance=Course.objects.get(pk=course.pk)),
            "upload_form": upload_form or PreworkUploadForm(),
            "files": list(course.prework_files.all()),
            "upload_url": reverse("training:manage_course_prework", args=[course.pk]),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request):
    if not access.can_run_catalog(request.user):
        raise PermissionDenied
    form = CourseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        course, status = manage.create_from(
            form,
            lambda form: catalog.create_course(actor=request.user, **form.action_arguments()),
        )
        if course is not None:
            messages.success(
                request,
                _("“%(title)s” is in the catalog. Add pre-work files or schedule sessions.")
                % {"title": course.title},
            )
            return redirect("training:manage_course", pk=course.pk)
    return render(
        request,
        "training/manage/course_form.html",
        {"course": None, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    course = access.catalog_course_or_404(request.user, pk)
    if request.method == "GET":
        return _course_page(request, course)
    form = CourseForm(request.POST, instance=Course.objects.get(pk=course.pk))
    if not form.is_valid():
        return _course_page(request, course, form=form, status=400)
    try:
        course = catalog.update_course(course.pk, actor=request.user, **form.action_arguments())
    except Refusal as refusal:
        add_to_form(form, refusal)
        return _course_page(request, course, form=form, status=page_status(refusal))
    messages.success(request, _("Saved “%(title)s”.") % {"title": course.title})
    return redirect("training:manage_course", pk=course.pk)


@accepts_uploads(catalog.max_upload_bytes)
@login_required
@require_http_methods(["GET", "POST"])
def course_prework_upload(request, pk):
    """Add a file (POST). A GET (a reload or a bookmark of this address, which a failed upload
    leaves in the address bar) goes back to the course's page."""
    course = access.catalog_course_or_404(request.user, pk)
    back = reverse("training:manage_course", args=[course.pk]) + "#prework-files"
    form = PreworkUploadForm(request.POST, request.FILES)
    return _prework_upload(
        request, form, back, {"course": course}, lambda **kw: _course_page(request, course, **kw)
    )


def _prework_upload(request, form, back, owner, page):
    """The upload `form` adds a pre-work file to `owner` ({"course": ...} or {"event": ...});
    `page(upload_form=, status=)` shows the owner's page again with the form's errors."""
    if request.method == "GET":
        return redirect(back)
    if not form.is_valid():
        return page(upload_form=form, status=400)
    try:
        item = catalog.add_prework_file(
            actor=request.user,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            **owner,
        )
    except Refusal as refusal:
        add_to_form(form, refusal)
        return page(upload_form=form, status=page_status(refusal))
    messages.success(request, _("Added the file “%(title)s”.") % {"title": item.title})
    return redirect(back)


@login_required
@require_POST
def prework_delete(request, pk):
    item = PreworkFile.objects.select_related("event").filter(pk=pk).first()
    if item is None:
        raise Http404
    if item.event_id is not None:
        access.catalog_session_or_404(request.user, item.event_id)
        back = reverse("training:manage_session_edit", args=[item.event_id])
    else:
        access.catalog_course_or_404(request.user, item.course_id)
        back = reverse("training:manage_course", args=[item.course_id])
    catalog.delete_prework_file(item.pk, actor=request.user)
    messages.success(request, _("Removed the file “%(title)s”.") % {"title": item.title})
    return redirect(back + "#prework-files")


# --- sessions: several dates at once ----------------------------------------------------------


def _rows(request):
    try:
        rows = int(request.GET.get("rows", DEFAULT_DATE_ROWS))
    except (TypeError, ValueError):
        rows = DEFAULT_DATE_ROWS
    return max(1, min(rows, MAX_DATE_ROWS))


@login_required
@require_http_methods(["GET", "POST"])
def sessions_new(request, pk):
    course = access.catalog_course_or_404(request.user, pk)
    rows = _rows(request)
    FormSet = date_formset_class(rows)
    status = 200
    refusal_message = ""
    if request.method == "POST":
        details = SessionDetailsForm(request.POST)
        dates = FormSet(request.POST, prefix="dates")
        if details.is_valid() and dates.is_valid():
            try:
                events = catalog.schedule_sessions(
                    course.pk,
                    actor=request.user,
                    dates=dates.dates(),
                    **details.action_arguments(),
                )
            except Refusal as refusal:
                if refusal.field in details.fields:
                    add_to_form(details, refusal)
                else:
                    refusal_message = refusal.message
                status = page_status(refusal)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Scheduled %(count)d session of “%(title)s”.",
                        "Scheduled %(count)d sessions of “%(title)s”.",
                        len(events),
                    )
                    % {"count": len(events), "title": course.title},
                )
                return redirect("training:manage")
        else:
            status = 400
    else:
        details = SessionDetailsForm()
        dates = FormSet(prefix="dates")
    return render(
        request,
        "training/manage/sessions_new.html",
        {
            "course": course,
            "details": details,
            "dates": dates,
            "date_errors": dates.numbered_errors() if dates.is_bound else [],
            "refusal": refusal_message,
            "more_rows": min(rows + 5, MAX_DATE_ROWS) if rows < MAX_DATE_ROWS else None,
            "zone": timezone.get_current_timezone_name(),
        },
        status=status,
    )


# --- one session: edit, cancel, keep ----------------------------------------------------------


def _session_page(request, event, *, form=None, upload_form=None, refusal="", status=200):
    course = Course.objects.filter(pk=event.host_id).first()
    return render(
        request,
        "training/manage/session_form.html",
        {
            "event": event,
            "course": course,
            "form": form or SessionEditForm(event=event),
            "upload_form": upload_form or PreworkUploadForm(),
            "files": list(event.prework_files.all()),
            "upload_url": reverse("training:manage_session_prework", args=[event.pk]),
            "refusal": refusal,
            "cancelled": event.status == Event.Status.CANCELLED,
            "zone": timezone.get_current_timezone_name(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    event = access.catalog_session_or_404(request.user, pk)
    return manage.edit_event(
        request,
        event,
        form=lambda data: SessionEditForm(data, event=event),
        page=_session_page,
        update=lambda form: catalog.update_session(
            event.pk, actor=request.user, **form.action_arguments()
        ),
        saved=_("Saved."),
        done_url=reverse("training:manage_roster", args=[event.pk]),
    )


@accepts_uploads(catalog.max_upload_bytes)
@login_required
@require_http_methods(["GET", "POST"])
def session_prework_upload(request, pk):
    """Add a file (POST). A GET (a reload of the address a failed upload leaves in the
    address bar) goes back to the session's page."""
    event = access.catalog_session_or_404(request.user, pk)
    back = reverse("training:manage_session_edit", args=[event.pk]) + "#prework-files"
    form = PreworkUploadForm(request.POST, request.FILES)
    return _prework_upload(
        request, form, back, {"event": event}, lambda **kw: _session_page(request, event, **kw)
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    """A confirmation step with the reason, then cancel_event (everyone is told)."""
    event = access.catalog_session_or_404(request.user, pk)
    roster_url = reverse("training:manage_roster", args=[event.pk])
    words = {
        "title": _("Cancel the session of “%(title)s”?") % {"title": event.title},
        "parent_url": roster_url,
        "parent_label": _("Roster"),
        "back_label": _("Back to the roster"),
        "current": _("Cancel the session"),
        "keep_url": roster_url,
        "keep_label": _("Keep it: back to the roster"),
        "cancelled": _("This session has been cancelled."),
        "told": ngettext_lazy(
            "The session is cancelled. %(count)d person was told.",
            "The session is cancelled. %(count)d people were told.",
            "count",
        ),
    }
    return manage.cancel_event_page(
        request,
        event,
        form_class=CancelSessionForm,
        words=words,
        done_url=reverse("training:manage"),
        cancel=catalog.cancel_catalog_event,
    )


@login_required
@require_POST
def session_keep(request, pk):
    """Run a session below its minimum: it is confirmed and its registrants told."""
    event = access.catalog_session_or_404(request.user, pk)
    try:
        catalog.keep_short_session(event.pk, actor=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("training:manage_roster", pk=event.pk)
    messages.success(
        request,
        _("The session will run below its minimum. Registrants are told it is confirmed."),
    )
    return redirect("training:manage_roster", pk=event.pk)


# --- rosters ---------------------------------------------------------------------------------


def _roster_page(request, event, *, form=None, refusal="", status=200):
    is_course_session = event.kind == Event.Kind.SESSION and event.host_type_id == (
        _course_type().pk
    )
    invitation_url = ""
    if event.visibility == Event.Visibility.INVITATION and event.invitation_code:
        invitation_url = (
            settings.SITE_URL
            + reverse("events:detail", args=[event.pk])
            + "?"
            + urlencode({"code": event.invitation_code})
        )
    return manage.roster_page(
        request,
        event,
        template="training/manage/roster.html",
        people=("person__org_unit",),
        context={
            "can_change": access.can_run_catalog(request.user) and is_course_session,
            "invitation_url": invitation_url,
            "attendance_url": reverse("training:manage_attendance", args=[event.pk]),
            "detailed": True,
        },
        form=form,
        refusal=refusal,
        status=status,
    )


@never_cache  # it names people: never kept by a cache
@login_required
@require_safe
def roster(request, pk):
    event = access.roster_event_or_404(
        request.user, pk, queryset=Event.objects.select_related("campus")
    )
    return _roster_page(request, event)


@never_cache
@login_required
@require_POST
def attendance(request, pk):
    """Present or absent for each person holding a seat, or everyone present at once."""
    event = access.roster_event_or_404(
        request.user, pk, queryset=Event.objects.select_related("campus")
    )
    return manage.record_attendance(
        request,
        event,
        page=_roster_page,
        done_url=reverse("training:manage_roster", args=[event.pk]),
    )


def _csv_time(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@never_cache
@login_required
@require_safe
def roster_csv(request, pk):
    event = access.roster_event_or_404(request.user, pk)
    seated, waitlist, _cancelled = manage.roster(event, people=("person__org_unit",))
    local = timezone.localtime(event.start)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="roster-{event.pk}-{local:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # so that spreadsheets read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Org unit"),
            _("Status"),
            _("Registered at"),
            _("Pre-work done at"),
            _("Waitlist position"),
        ]
    )
    for registration in [*seated, *waitlist]:
        person = registration.person
        writer.writerow(
            csv_cell(value)
            for value in (
                person.display_name,
                person.email,
                person.org_unit.name if person.org_unit_id else "",
                registration.get_state_display(),
                _csv_time(registration.requested_at),
                _csv_time(registration.prework_done_at),
                getattr(registration, "position", ""),
            )
        )
    return response
