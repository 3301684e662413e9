"""/insights/: the dashboards, for analysts and leadership and for DEI administrators. Each view
of a dashboard, and each download, is recorded in the audit log."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from belong.insights import charts, exports, freshness
from belong.insights.dashboards import DASHBOARDS
from belong.people import roles
from belong.people.access import role_required
from belong.people.actions import audit

VIEWERS = (roles.ANALYST, roles.DEI_ADMINISTRATOR)


def _dashboard(slug):
    dashboard = DASHBOARDS.get(slug)
    if dashboard is None:
        raise Http404
    return dashboard


@require_GET
@role_required(*VIEWERS)
def index(request):
    return render(
        request,
        "insights/index.html",
        {"dashboards": DASHBOARDS.values(), "threshold": settings.DISCLOSURE_THRESHOLD},
    )


@never_cache
@require_GET
@role_required(*VIEWERS)
def dashboard(request, slug):
    board = _dashboard(slug)
    figures = freshness.figures(board, actor=request.user)
    audit(actor=request.user, verb="insights.viewed", dashboard=board.slug)
    shown = [
        {"figure": f, "chart": None if f.empty else charts.data_uri(charts.chart(f))}
        for f in figures
    ]
    return render(request, "insights/dashboard.html", {"dashboard": board, "figures": shown})


@never_cache
@require_GET
@role_required(*VIEWERS)
def download(request, slug, figure, fmt):
    board = _dashboard(slug)
    chosen = next(
        (f for f in freshness.figures(board, actor=request.user) if f.slug == figure), None
    )
    if chosen is None:
        raise Http404
    audit(
        actor=request.user,
        verb="insights.downloaded",
        dashboard=board.slug,
        figure=figure,
        format=fmt,
    )
    name = f"belong-{board.slug}-{slugify(chosen.slug)}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(chosen), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(chosen),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
