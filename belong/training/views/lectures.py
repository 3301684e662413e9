"""The coordinators' pages for the Dean's Lecture Series, under /training/manage/lectures/: every
lecture (upcoming first, then past), a new lecture, editing one (with its recording link),
cancelling one with a reason. Rosters, attendance and the CSV of a lecture are the sessions'
pages (/training/manage/sessions/<pk>/), which serve lectures too; the upcoming lectures on the
overview are views.manage.overview's.

Who may: training coordinators and DEI administrators (belong.training.access.can_run_catalog,
the rule of the sessions' pages; catalog_lecture_or_404); anyone else signed in gets 403 (404
for a lecture they may not even see), visitors are sent to sign in. Thin views: load and
authorize, call the catalog's action (create_lecture, update_lecture, cancel_catalog_event), redirect with a
message, or render the form again with its errors (400) or the refusal. Editing and cancelling
are the steps every event host shares (belong.events.manage) with the lectures' words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.events import manage
from belong.events.models import Event
from belong.training import access
from belong.training.actions import catalog
from belong.training.forms.lectures import CancelLectureForm, LectureEditForm, LectureForm

LECTURES_PER_PAGE = 25
LECTURES = Event.objects.select_related("campus", "series")


def _authorize(person):
    if not access.can_run_catalog(person):
        raise PermissionDenied


def _zone():
    return timezone.get_current_timezone_name()


# --- every lecture ----------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def lecture_list(request):
    """Every lecture: the upcoming ones soonest first, then the past ones latest first, paged;
    each with its state, registrations and whether a recording is linked."""
    _authorize(request.user)
    lectures = Event.objects.filter(kind=Event.Kind.LECTURE).select_related("series")
    page = manage.event_list_page(request, lectures, per_page=LECTURES_PER_PAGE)
    return render(request, "training/manage/lecture_list.html", {"page": page})


# --- a new lecture ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lecture_new(request):
    _authorize(request.user)
    form = LectureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        event, status = manage.create_from(
            form,
            lambda form: catalog.create_lecture(actor=request.user, **form.action_arguments()),
        )
        if event is not None:
            messages.success(
                request,
                _("“%(title)s” is scheduled. People can register on its page.")
                % {"title": event.title},
            )
            return redirect("training:manage_lectures")
    return render(
        request,
        "training/manage/lecture_form.html",
        {"event": None, "form": form, "zone": _zone()},
        status=status,
    )


# --- editing one ------------------------------------------------------------------------------


def _edit_page(request, event, *, form=None, refusal="", status=200):
    return render(
        request,
        "training/manage/lecture_form.html",
        {
            "event": event,
            "form": form or LectureEditForm(event=event),
            "refusal": refusal,
            "cancelled": event.status == Event.Status.CANCELLED,
            "zone": _zone(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lecture_edit(request, pk):
    """Everything about a lecture, and its recording link, through update_event: a change of
    time or place raises the invite's SEQUENCE and tells everyone registered or waiting."""
    event = access.catalog_lecture_or_404(request.user, pk, queryset=LECTURES)
    return manage.edit_event(
        request,
        event,
        form=lambda data: LectureEditForm(data, event=event),
        page=_edit_page,
        update=lambda form: catalog.update_lecture(
            event.pk, actor=request.user, **form.action_arguments()
        ),
        saved=_("Saved “%(title)s”."),
        done_url=reverse("training:manage_lectures"),
    )


# --- cancelling one ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lecture_cancel(request, pk):
    """A confirmation step with the reason, then cancel_event (everyone is told)."""
    event = access.catalog_lecture_or_404(request.user, pk, queryset=LECTURES)
    lectures_url = reverse("training:manage_lectures")
    words = {
        "title": _("Cancel the lecture “%(title)s”?") % {"title": event.title},
        "parent_url": lectures_url,
        "parent_label": _("Manage lectures"),
        "back_label": _("Back to the lectures"),
        "current": _("Cancel the lecture"),
        "keep_url": reverse("training:manage_lecture_edit", args=[event.pk]),
        "keep_label": _("Keep it: back to the lecture"),
        "cancelled": _("This lecture has been cancelled."),
        "told": ngettext_lazy(
            "The lecture is cancelled. %(count)d person was told.",
            "The lecture is cancelled. %(count)d people were told.",
            "count",
        ),
    }
    return manage.cancel_event_page(
        request,
        event,
        form_class=CancelLectureForm,
        words=words,
        done_url=lectures_url,
        cancel=catalog.cancel_catalog_event,
    )
