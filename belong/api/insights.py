"""The dashboards' published tables, the health-disparities initiatives, the policies and the
clearinghouse. A dashboard's table is exactly what its page shows: every count of people read
from the latest release (a hidden one is `null` with `shown` "<11", a row not published this
time `null` with `shown` "—"), with the release's date and the largest deviation of its
figures; never a person's answer."""

import datetime

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from belong.api.auth import PUBLIC, SIGNED_IN, caller
from belong.api.errors import ErrorOut, error_body
from belong.api.pagination import Pagination
from belong.insights import access, dashboards, serving
from belong.insights.dashboards import DASHBOARDS
from belong.library import resources
from belong.library.models import Policy, Resource
from belong.people.actions import audit

router = Router(tags=["insights"], auth=SIGNED_IN)
public = Router(tags=["resources"], auth=PUBLIC)


def _forbidden():
    return JsonResponse(
        error_body(_("For analysts and leadership, and DEI administrators.")), status=403
    )


class DashboardOut(Schema):
    slug: str
    title: str
    description: str


class CellOut(Schema):
    value: int | None
    shown: str


class FigureOut(Schema):
    slug: str
    title: str
    row_header: str
    rows: list[str]
    columns: list[str]
    cells: list[list[CellOut]]
    row_totals: list[CellOut] | None
    column_totals: list[CellOut] | None
    grand_total: CellOut | None
    shares: list[list[str | None]] | None
    benchmark: list[float | None] | None
    benchmark_label: str
    summary: list[str]
    notes: list[str]
    hidden: int


class DashboardTablesOut(DashboardOut):
    release: int | None
    as_of: datetime.date | None
    max_noise: int | None
    figures: list[FigureOut]


def _cell(cell):
    return {"value": cell.value, "shown": cell.shown}


def _figure(figure):
    table = figure.table
    return {
        "slug": figure.slug,
        "title": figure.title,
        "row_header": figure.row_header,
        "rows": figure.rows,
        "columns": figure.columns,
        "cells": [[_cell(c) for c in row] for row in table.cells],
        "row_totals": None if table.row_totals is None else [_cell(c) for c in table.row_totals],
        "column_totals": (
            None if table.column_totals is None else [_cell(c) for c in table.column_totals]
        ),
        "grand_total": None if table.grand_total is None else _cell(table.grand_total),
        "shares": (
            [
                [figure.share(i, j) for j in range(len(figure.columns))]
                for i in range(len(figure.rows))
            ]
            if figure.shares
            else None
        ),
        "benchmark": figure.benchmark,
        "benchmark_label": figure.benchmark_label,
        "summary": figure.summary(),
        "notes": figure.all_notes,
        "hidden": table.hidden_count,
    }


@router.get(
    "/insights/dashboards",
    response={200: list[DashboardOut], 401: ErrorOut, 403: ErrorOut},
    summary="The dashboards",
)
def list_dashboards(request):
    if not access.can_see_dashboards(caller(request)):
        return _forbidden()
    return [
        {"slug": d.slug, "title": str(d.title), "description": str(d.description)}
        for d in DASHBOARDS.values()
    ]


@router.get(
    "/insights/dashboards/{slug}",
    response={200: DashboardTablesOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A dashboard's published tables",
    description=(
        "Exactly the tables its page shows, from the latest release (`release`, `as_of`; null "
        "before the first): each figure is perturbed by at most `max_noise` either way; the "
        "read is recorded in the audit log."
    ),
)
def get_dashboard(request, slug: str):
    person = caller(request)
    if not access.can_see_dashboards(person):
        return _forbidden()
    board = DASHBOARDS.get(slug)
    if board is None:
        return JsonResponse(error_body(_("No such dashboard.")), status=404)
    release = serving.latest()
    figures = dashboards.figures(board.slug, release)
    audit(actor=person, verb="insights.viewed", dashboard=board.slug, via="api")
    return {
        "slug": board.slug,
        "title": str(board.title),
        "description": str(board.description),
        "release": release.number if release else None,
        "as_of": release.as_of if release else None,
        "max_noise": None if release is None else _max_noise(figures),
        "figures": [_figure(f) for f in figures],
    }


def _max_noise(figures):
    return max((f.max_noise for f in figures), default=0)


class ObservationOut(Schema):
    date: datetime.date
    value: float
    note: str


class MetricOut(Schema):
    name: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    target_on: datetime.date | None
    observations: list[ObservationOut]


class InitiativeOut(Schema):
    slug: str
    title: str
    disparity: str
    population: str
    status: str
    unit: str
    lead: str


class InitiativeDetailOut(InitiativeOut):
    metrics: list[MetricOut]


def _initiative(i):
    return {
        "slug": i.slug,
        "title": i.title,
        "disparity": i.disparity,
        "population": i.population,
        "status": i.status,
        "unit": i.unit.name if i.unit else "",
        "lead": i.lead.display_name if i.lead else "",
    }


def _number(value):
    return None if value is None else float(value)


@router.get(
    "/insights/initiatives",
    response={200: list[InitiativeOut], 401: ErrorOut},
    summary="Health-disparities initiatives",
    description="Every initiative for analysts and DEI administrators; a lead's own for a lead.",
)
def list_initiatives(request):
    return [_initiative(i) for i in access.visible_initiatives(caller(request))]


@router.get(
    "/insights/initiatives/{slug}",
    response={200: InitiativeDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="An initiative with its metrics and their values",
)
def get_initiative(request, slug: str):
    initiative = get_object_or_404(access.visible_initiatives(caller(request)), slug=slug)
    metrics = [
        {
            "name": m.name,
            "unit": m.unit,
            "direction": m.direction,
            "baseline": _number(m.baseline),
            "target": _number(m.target),
            "target_on": m.target_on,
            "observations": [
                {"date": o.observed_on, "value": float(o.value), "note": o.note}
                for o in m.observations.all()
            ],
        }
        for m in initiative.metrics.prefetch_related("observations")
    ]
    return {**_initiative(initiative), "metrics": metrics}


class PolicyOut(Schema):
    slug: str
    title: str
    owner: str
    review_interval_months: int
    last_reviewed_on: datetime.date | None
    next_review_due: datetime.date | None
    version: int | None
    text: str


def _policy(policy):
    version = policy.versions.order_by("-number").first()
    return {
        "slug": policy.slug,
        "title": policy.title,
        "owner": policy.owner,
        "review_interval_months": policy.review_interval_months,
        "last_reviewed_on": policy.last_reviewed_on,
        "next_review_due": policy.next_review_due,
        "version": version.number if version else None,
        "text": version.body if version else "",
    }


@public.get("/policies", response={200: list[PolicyOut]}, summary="The public policies")
def list_policies(request):
    return [_policy(p) for p in Policy.objects.filter(is_public=True)]


@public.get("/policies/{slug}", response={200: PolicyOut, 404: ErrorOut}, summary="A policy")
def get_policy(request, slug: str):
    return _policy(get_object_or_404(Policy, slug=slug, is_public=True))


class ResourceOut(Schema):
    id: int
    title: str
    summary: str
    link: str
    file: str
    tags: list[str]
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_file(obj):
        return f"/resources/files/{obj.pk}/" if obj.file else ""


@public.get(
    "/resources",
    response={200: list[ResourceOut], 422: ErrorOut},
    summary="The clearinghouse",
    description=(
        "Published resources; `q` searches words (full-text on PostgreSQL), `tag` is one of "
        + ", ".join(f"`{t}`" for t in Resource.Tag.values)
        + "."
    ),
)
@paginate(Pagination)
def list_resources(
    request,
    q: str = Query("", max_length=200, description="Words to search for (at most 200 characters)."),
    tag: Resource.Tag | None = None,
):
    found = Resource.objects.filter(state=Resource.State.PUBLISHED)
    if tag:
        found = found.filter(tags__icontains=f'"{tag}"')
    return resources.search(found, q)
