"""/insights/initiatives/: health-disparities initiatives, their metrics charted against a
baseline and a target. Analysts, leadership and DEI administrators see them all, a lead their
own; a lead and DEI administrators change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from belong.insights import access, charts, exports, initiatives
from belong.insights.initiative_forms import (
    MAX_IMPORT_BYTES,
    ImportForm,
    InitiativeForm,
    MetricForm,
    ObservationForm,
)
from belong.insights.models import Initiative
from belong.lib.refusals import add_to_form
from belong.lib.request_limits import accepts_uploads
from belong.people.access import allowed_or_403


@require_GET
@login_required
def index(request):
    shown = access.initiatives_or_403(request.user)
    return render(
        request,
        "insights/initiatives.html",
        {"initiatives": shown, "may_create": access.can_create_initiatives(request.user)},
    )


@require_http_methods(["GET", "POST"])
@allowed_or_403(access.can_create_initiatives)
def new(request):
    form = InitiativeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            initiative = initiatives.create_initiative(
                actor=request.user, **form.action_arguments()
            )
            messages.success(request, _("The initiative was created."))
            return redirect("insights:initiative", initiative.slug)
        return render(request, "insights/initiative_form.html", {"form": form}, status=400)
    return render(request, "insights/initiative_form.html", {"form": form})


def _page(request, initiative, *, status=200, **forms):
    metrics = list(initiative.metrics.prefetch_related("observations"))
    may_change = access.can_change_initiative(request.user, initiative)
    context = {
        "initiative": initiative,
        "metrics": [
            {
                "metric": m,
                "chart": charts.data_uri(charts.metric_chart(m)),
                "rows": list(m.observations.all()),
            }
            for m in metrics
        ],
        "may_change": may_change,
    }
    if may_change:
        context.update(
            {
                "edit_form": forms.get("edit_form")
                or InitiativeForm(instance=initiative, prefix="initiative"),
                "metric_form": forms.get("metric_form") or MetricForm(prefix="metric"),
                "observation_form": forms.get("observation_form")
                or ObservationForm(initiative=initiative, prefix="value"),
                "import_form": forms.get("import_form") or ImportForm(prefix="import"),
                "import_errors": forms.get("import_errors", []),
            }
        )
    return render(request, "insights/initiative.html", context, status=status)


@require_GET
@login_required
def detail(request, slug):
    return _page(request, access.initiative_or_403(request.user, slug))


@require_POST
@login_required
def edit(request, slug):
    initiative = access.initiative_or_403(request.user, slug, change=True)
    form = InitiativeForm(
        request.POST, instance=Initiative.objects.get(pk=initiative.pk), prefix="initiative"
    )
    if not form.is_valid():
        return _page(request, initiative, status=400, edit_form=form)
    initiatives.update_initiative(initiative, actor=request.user, **form.action_arguments())
    messages.success(request, _("The initiative was saved."))
    return redirect("insights:initiative", initiative.slug)


@require_POST
@login_required
def add_metric(request, slug):
    initiative = access.initiative_or_403(request.user, slug, change=True)
    form = MetricForm(request.POST, prefix="metric")
    if form.is_valid():
        try:
            initiatives.add_metric(initiative, actor=request.user, **form.cleaned_data)
        except initiatives.Refused as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("The metric was added."))
            return redirect("insights:initiative", initiative.slug)
    return _page(request, initiative, status=400, metric_form=form)


@require_POST
@login_required
def observe(request, slug):
    initiative = access.initiative_or_403(request.user, slug, change=True)
    form = ObservationForm(request.POST, initiative=initiative, prefix="value")
    if not form.is_valid():
        return _page(request, initiative, status=400, observation_form=form)
    initiatives.record(actor=request.user, **form.cleaned_data)
    messages.success(request, _("The value was recorded."))
    return redirect("insights:initiative", initiative.slug)


@accepts_uploads(lambda: MAX_IMPORT_BYTES)
@require_POST
@login_required
def import_csv(request, slug):
    initiative = access.initiative_or_403(request.user, slug, change=True)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        return _page(request, initiative, status=400, import_form=form)
    try:
        count = initiatives.import_observations(
            initiative, actor=request.user, text=form.cleaned_data["file"]
        )
    except initiatives.Refused as refusal:
        form.add_error("file", refusal.message)
        return _page(
            request, initiative, status=400, import_form=form, import_errors=refusal.errors
        )
    messages.success(request, _("%(count)s values were imported.") % {"count": count})
    return redirect("insights:initiative", initiative.slug)


@require_GET
@login_required
def metric_download(request, slug, metric_id, fmt):
    """A metric's values as CSV or XLSX, for whoever may see the initiative."""
    initiative = access.initiative_or_403(request.user, slug)
    metric = initiative.metrics.filter(pk=metric_id).first()
    if metric is None:
        raise Http404
    title, header, grid = exports.metric_table(metric)
    name = f"belong-{initiative.slug}-{metric.pk}.{fmt}"
    if fmt == "csv":
        body = exports.table_csv(title, header, grid)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        body = exports.table_xlsx(f"metric-{metric.pk}", title, header, grid)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
