"""The directories of local minority-owned businesses and community partners
(/collectives/businesses/, /collectives/partners/): anyone signed in searches them, exports
the approved entries as CSV and suggests an entry; DEI administrators review suggestions, edit
entries and import CSV files (belong.collectives.actions.directories)."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.collectives import access
from belong.collectives.actions import directories as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.forms.directories import ImportForm
from belong.collectives.models import Business, FocusArea, Partner
from belong.lib.refusals import add_to_form
from belong.lib.request_limits import MB, accepts_uploads

PER_PAGE = 24
# Longest accepted value of each filter (longer ones are cut, never an error).
FILTERS = {"q": 200, "category": 120, "ownership": 100, "certification": 100, "area": 80}
EDIT_URL = {"businesses": "collectives:business_edit", "partners": "collectives:partner_edit"}


def _curator(request):
    if not access.can_curate_directories(request.user):
        raise PermissionDenied


def _filters(request, kind) -> dict:
    allowed = ["q", "category"] + (
        ["ownership", "certification"] if kind.slug == "businesses" else ["area"]
    )
    return {name: request.GET.get(name, "").strip()[: FILTERS[name]] for name in allowed}


@login_required
@require_safe
def directory(request, kind_slug):
    kind = actions.kind_of(kind_slug)
    filters = _filters(request, kind)
    page = Paginator(actions.search(kind.slug, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collectives/directory/list.html",
        {
            "kind": kind.slug,
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "choices": actions.choices(kind.slug),
            "areas": list(FocusArea.objects.all()) if kind.slug == "partners" else [],
            "query": query.urlencode(),
            "curator": access.can_curate_directories(request.user),
        },
    )


@login_required
@require_safe
def export(request, kind_slug):
    """The approved entries, with the import's columns (public-facing business information:
    anyone signed in may download it)."""
    kind = actions.kind_of(kind_slug)
    text = actions.export_csv(kind.slug, actions.approved(kind.slug))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind.slug}.csv"'
    return response


def _form_page(request, kind, form, template, status=200, **context):
    return render(
        request,
        f"collectives/directory/{template}.html",
        {"kind": kind.slug, "form": form, **context},
        status=status,
    )


def _refused_on_form(form, refused):
    add_to_form(form, refused)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def suggest(request, kind_slug):
    kind = actions.kind_of(kind_slug)
    if request.method != "POST":
        return _form_page(request, kind, kind.form(), "suggest")
    form = kind.form(request.POST)
    if not form.is_valid():
        return _form_page(request, kind, form, "suggest", status=400)
    try:
        actions.suggest(kind.slug, person=request.user, **form.cleaned_data)
    except Refused as refused:
        _refused_on_form(form, refused)
        return _form_page(request, kind, form, "suggest", status=refused.status)
    messages.success(
        request, _("Thank you: the DEI office will review your suggestion before it is listed.")
    )
    return redirect(reverse(f"collectives:{kind.slug}"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, kind_slug, pk):
    _curator(request)
    kind = actions.kind_of(kind_slug)
    entry = kind.model.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    if request.method != "POST":
        return _form_page(request, kind, kind.form(instance=entry), "edit", entry=entry)
    form = kind.form(request.POST, instance=copy.copy(entry))  # the title keeps the saved name
    if not form.is_valid():
        return _form_page(request, kind, form, "edit", status=400, entry=entry)
    try:
        entry = actions.update_entry(kind.slug, pk, actor=request.user, **form.cleaned_data)
    except Refused as refused:
        _refused_on_form(form, refused)
        return _form_page(request, kind, form, "edit", status=refused.status, entry=entry)
    except kind.model.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("“%(name)s” is saved.") % {"name": entry.name})
    if entry.status == kind.model.Status.SUGGESTED:
        return redirect(reverse("collectives:directory_review"))
    return redirect(reverse(f"collectives:{kind.slug}"))


def _review_page(request, *, status=200, error=""):
    return render(
        request,
        "collectives/directory/review.html",
        {
            "businesses": list(
                Business.objects.filter(status=Business.Status.SUGGESTED).order_by("created_at")
            ),
            "partners": list(
                Partner.objects.filter(status=Partner.Status.SUGGESTED)
                .order_by("created_at")
                .prefetch_related("focus_areas")
            ),
            "error": error,
        },
        status=status,
    )


@never_cache
@login_required
@require_safe
def review_queue(request):
    _curator(request)
    return _review_page(request)


@login_required
@require_POST
def review(request, kind_slug, pk):
    """Approve or decline an entry: from the review queue, or from an entry's edit page
    (`back=edit`, which returns there)."""
    _curator(request)
    if kind_slug not in actions.KINDS:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        error = _("Choose to approve or to decline the entry (decision: approve or decline).")
        return _review_page(request, status=400, error=error)
    kind = actions.kind_of(kind_slug)
    try:
        entry = actions.review(kind.slug, pk, actor=request.user, approve=decision == "approve")
    except kind.model.DoesNotExist:
        raise Http404 from None
    if decision == "approve":
        messages.success(request, _("“%(name)s” is listed.") % {"name": entry.name})
    else:
        messages.success(
            request, _("“%(name)s” is declined: it is not listed.") % {"name": entry.name}
        )
    if request.POST.get("back") == "edit":
        return redirect(reverse(EDIT_URL[kind.slug], args=[entry.pk]))
    return redirect(reverse("collectives:directory_review"))


@accepts_uploads(lambda: settings.DIRECTORY_IMPORT_MAX_MB * MB)
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_file(request, kind_slug):
    _curator(request)
    kind = actions.kind_of(kind_slug)
    context = {"columns": kind.columns, "max_mb": settings.DIRECTORY_IMPORT_MAX_MB}
    if request.method != "POST":
        return _form_page(request, kind, ImportForm(), "import", **context)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, kind, form, "import", status=400, **context)
    try:
        result = actions.import_csv(kind.slug, form.cleaned_data["file"], actor=request.user)
    except actions.ImportRefused as refused:
        return _form_page(
            request,
            kind,
            form,
            "import",
            status=400,
            problems=refused.errors,
            more=refused.more,
            **context,
        )
    messages.success(
        request,
        _("The file is imported: %(created)d new entries, %(updated)d updated.") % result,
    )
    return redirect(reverse(f"collectives:{kind.slug}"))
