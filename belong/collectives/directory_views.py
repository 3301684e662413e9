"""The directories of local minority-owned businesses and community partners
(/collectives/businesses/, /collectives/partners/): anyone signed in searches them, exports
them as CSV and suggests an entry; DEI administrators review suggestions, edit entries and
import CSV files (belong.collectives.actions.directories)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.collectives import access
from belong.collectives.actions import directories as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.directory_forms import ImportForm
from belong.collectives.models import Business, FocusArea, Partner

PER_PAGE = 25
SEARCHED = {
    "businesses": ["name", "description", "category", "ownership", "certifications", "area_served"],
    "partners": ["name", "description", "category", "area_served"],
}


def _curator(request):
    if not access.can_curate_directories(request.user):
        raise PermissionDenied


def _approved(kind):
    entries = kind.model.objects.filter(status=kind.model.Status.APPROVED)
    if kind.slug == "partners":
        entries = entries.prefetch_related("focus_areas")
    return entries.order_by("name", "pk")


def _filtered(request, kind):
    entries = _approved(kind)
    q = request.GET.get("q", "").strip()[:200]
    category = request.GET.get("category", "").strip()[:120]
    if q:
        condition = Q()
        for field in SEARCHED[kind.slug]:
            condition |= Q(**{f"{field}__icontains": q})
        entries = entries.filter(condition)
    if category:
        entries = entries.filter(category__iexact=category)
    extra = {}
    if kind.slug == "businesses":
        certification = request.GET.get("certification", "").strip()[:60]
        if certification:
            entries = entries.filter(certifications__icontains=certification)
        extra["certification"] = certification
    else:
        area = request.GET.get("area", "").strip()[:80]
        if area:
            entries = entries.filter(focus_areas__slug=area)
        extra["area"] = area
    return entries, {"q": q, "category": category, **extra}


@login_required
@require_safe
def directory(request, kind_slug):
    kind = actions.kind_of(kind_slug)
    entries, filters = _filtered(request, kind)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    categories = _approved(kind).order_by("category").values_list("category", flat=True).distinct()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collectives/directory/list.html",
        {
            "kind": kind.slug,
            "page": page,
            "filters": filters,
            "categories": list(categories),
            "areas": list(FocusArea.objects.all()) if kind.slug == "partners" else [],
            "query": query.urlencode(),
            "curator": access.can_curate_directories(request.user),
        },
    )


@login_required
@require_safe
def export(request, kind_slug):
    kind = actions.kind_of(kind_slug)
    stream = io.StringIO()
    actions.export_csv(kind.slug, _approved(kind), stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind.slug}.csv"'
    return response


def _form_page(request, kind, form, template, status=200, **context):
    return render(
        request,
        f"collectives/directory/{template}.html",
        {"kind": kind.slug, "form": form, **context},
        status=status,
    )


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
        actions.suggest(kind.slug, person=request.user, data=request.POST)
    except Refused as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
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
    form = kind.form(request.POST, instance=kind.model.objects.get(pk=pk))
    if not form.is_valid():
        return _form_page(request, kind, form, "edit", status=400, entry=entry)
    actions.update_entry(kind.slug, pk, actor=request.user, data=request.POST)
    messages.success(request, _("The entry is saved."))
    return redirect(reverse(f"collectives:{kind.slug}"))


def _review_page(request, *, status=200, error=""):
    return render(
        request,
        "collectives/directory/review.html",
        {
            "businesses": list(Business.objects.filter(status=Business.Status.SUGGESTED)),
            "partners": list(
                Partner.objects.filter(status=Partner.Status.SUGGESTED).prefetch_related(
                    "focus_areas"
                )
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
        messages.success(request, _("“%(name)s” is declined.") % {"name": entry.name})
    return redirect(reverse("collectives:directory_review"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_file(request, kind_slug):
    _curator(request)
    kind = actions.kind_of(kind_slug)
    context = {"columns": kind.columns}
    if request.method != "POST":
        return _form_page(request, kind, ImportForm(), "import", **context)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, kind, form, "import", status=400, **context)
    try:
        result = actions.import_csv(kind.slug, form.cleaned_data["file"], actor=request.user)
    except actions.ImportRefused as refused:
        return _form_page(
            request, kind, form, "import", status=400, problems=refused.errors, **context
        )
    messages.success(
        request,
        _("The file is imported: %(created)d new entries, %(updated)d updated.") % result,
    )
    return redirect(reverse(f"collectives:{kind.slug}"))
