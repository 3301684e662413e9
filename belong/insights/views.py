"""/insights/: the dashboards, for analysts and leadership and for DEI administrators, read from
the latest release (belong.insights.serving). Each view of a dashboard, and each download, is
recorded in the audit log. A DEI administrator may cut a release by hand (at most once a week)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from belong.insights import access, charts, cutting, dashboards, exports, serving
from belong.insights.dashboards import DASHBOARDS
from belong.people.access import allowed_or_403
from belong.people.actions import audit


def _dashboard(slug):
    dashboard = DASHBOARDS.get(slug)
    if dashboard is None:
        raise Http404
    return dashboard


def _figures(slug):
    release = serving.latest()
    return release, dashboards.figures(slug, release)


@never_cache
@require_GET
@allowed_or_403(access.can_see_dashboards)
def index(request):
    may_cut = access.can_cut_releases(request.user)
    return render(
        request,
        "insights/index.html",
        {
            "dashboards": DASHBOARDS.values(),
            "threshold": settings.DISCLOSURE_THRESHOLD,
            "release": serving.latest(),
            "may_cut": may_cut,
            "next_cut": cutting.next_manual_cut() if may_cut else None,
            "manual_days": settings.RELEASE_MANUAL_MIN_DAYS,
        },
    )


@require_POST
@allowed_or_403(access.can_cut_releases)
def cut(request):
    """A DEI administrator cuts a release now (belong.insights.cutting.cut_by_hand)."""
    try:
        release = cutting.cut_by_hand(actor=request.user)
    except cutting.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Release %(number)s is cut: every dashboard now shows figures as of %(date)s.")
            % {"number": release.number, "date": release.as_of},
        )
    return redirect("insights:index")


@never_cache
@require_GET
@allowed_or_403(access.can_see_dashboards)
def dashboard(request, slug):
    board = _dashboard(slug)
    release, figures = _figures(board.slug)
    audit(actor=request.user, verb="insights.viewed", dashboard=board.slug)
    shown = [
        {"figure": f, "chart": None if f.empty else charts.data_uri(charts.chart(f))}
        for f in figures
    ]
    return render(
        request,
        "insights/dashboard.html",
        {"dashboard": board, "figures": shown, "release": release},
    )


@never_cache
@require_GET
@allowed_or_403(access.can_see_dashboards)
def download(request, slug, figure, fmt):
    board = _dashboard(slug)
    chosen = next((f for f in _figures(board.slug)[1] if f.slug == figure), None)
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
