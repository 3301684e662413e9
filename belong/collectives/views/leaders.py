"""The pages where leaders run their collective (/collectives/<slug>/manage/...): the overview,
the collective's page, its members (current leaders only) and, for DEI administrators, its
leaders. Thin views: load and authorize (belong.collectives.access), call an action, redirect
with a message, or render the form again with its errors (400)."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.collectives import access
from belong.collectives.actions import leaders as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.forms.leaders import LeaderForm, PageForm
from belong.collectives.models import Experience, LeaderRole, Membership, Recommendation
from belong.lib.refusals import add_to_form
from belong.lib.request_limits import MB, accepts_uploads
from belong.lib.spreadsheet import csv_cell
from belong.people.actions import audit


@never_cache
@login_required
@require_safe
def overview(request, slug):
    collective = access.run_collective_or_403(request.user, slug)
    reads_experiences = access.can_read_experiences(request.user, collective)
    return render(
        request,
        "collectives/manage/overview.html",
        {
            "collective": collective,
            "sees_members": access.can_see_members(request.user, collective),
            "names_leaders": access.can_name_leaders(request.user),
            "reads_experiences": reads_experiences,
            # What waits for a leader (two counts, not of people; experiences from the day
            # after they were shared, so that the count does not move while the day runs).
            "new_experiences": access.readable_experiences(collective)
            .filter(state=Experience.State.NEW)
            .count()
            if reads_experiences
            else 0,
            "drafts": collective.recommendations.filter(state=Recommendation.State.DRAFT).count(),
        },
    )


def _page_form_page(request, collective, form, status=200):
    return render(
        request,
        "collectives/manage/page_form.html",
        {"collective": collective, "form": form},
        status=status,
    )


@accepts_uploads(lambda: settings.COLLECTIVE_IMAGE_MAX_MB * MB)
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def page(request, slug):
    collective = access.run_collective_or_403(request.user, slug)
    has_image = bool(collective.image)
    if request.method != "POST":
        form = PageForm(
            has_image=has_image,
            initial={
                "summary": collective.summary,
                "mission": collective.mission,
                "vision": collective.vision,
                "commitments": "\n".join(c.text for c in collective.commitments.all()),
                "focus_areas": list(collective.focus_areas.all()),
                "image_alt": collective.image_alt,
            },
        )
        return _page_form_page(request, collective, form)
    form = PageForm(request.POST, request.FILES, has_image=has_image)
    if not form.is_valid():
        return _page_form_page(request, collective, form, status=400)
    data = form.cleaned_data
    fields = {name: data[name] for name in ("summary", "mission", "vision", "image_alt")}
    if data.get("image"):
        fields["image"] = data["image"]
    elif data.get("remove_image"):
        fields["image"], fields["image_alt"] = "", ""
    try:
        actions.update_page(
            collective.pk,
            actor=request.user,
            commitments=data["commitments"].splitlines(),
            focus_areas=list(data["focus_areas"]),
            **fields,
        )
    except Refused as refused:
        add_to_form(form, refused)
        return _page_form_page(request, collective, form, status=400)
    messages.success(request, _("The collective's page is saved."))
    return redirect(collective.get_absolute_url())


KINDS = {"": None, "member": Membership.Kind.MEMBER, "ally": Membership.Kind.ALLY}


def _members(request, slug):
    """The collective and its memberships, for its current leaders only (DEI administrators are
    refused: memberships are for leaders and the people who opened them)."""
    collective = access.collective_or_404(slug)
    if not access.can_see_members(request.user, collective):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        raise Http404
    # Through the visibility rule, though a current leader sees every membership of it.
    rows = (
        access.visible_memberships(request.user)
        .filter(collective=collective)
        .select_related("person")
        .order_by("person__full_name", "person__email")
    )
    if KINDS[kind]:
        rows = rows.filter(kind=KINDS[kind])
    return collective, kind, rows


@never_cache
@login_required
@require_safe
def members(request, slug):
    collective, kind, rows = _members(request, slug)
    rows = list(rows)
    audit(actor=request.user, verb="collective.members_viewed", obj=collective, kind=kind)
    return render(
        request,
        "collectives/manage/members.html",
        {"collective": collective, "kind": kind, "rows": rows},
    )


@never_cache
@login_required
@require_safe
def members_csv(request, slug):
    collective, kind, rows = _members(request, slug)
    audit(actor=request.user, verb="collective.members_exported", obj=collective, kind=kind)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{collective.slug}-members.csv"'
    writer = csv.writer(response)
    writer.writerow(["name", "email", "as", "who may see it", "joined"])
    for row in rows:
        writer.writerow(
            [
                csv_cell(row.person.display_name),
                csv_cell(row.person.email),
                row.kind,
                row.visibility,
                timezone.localtime(row.joined_at).date().isoformat(),
            ]
        )
    return response


def _leaders_page(request, collective, form, status=200):
    today = timezone.localdate()
    leader_roles = list(
        LeaderRole.objects.filter(collective=collective)
        .select_related("person")
        .order_by("-starts_on", "pk")
    )
    return render(
        request,
        "collectives/manage/leaders.html",
        {
            "collective": collective,
            "form": form,
            "current": [r for r in leader_roles if r.is_current(today)],
            "upcoming": [r for r in leader_roles if r.starts_on > today],
            "past": [r for r in leader_roles if r.ends_on is not None and r.ends_on < today],
        },
        status=status,
    )


def _admin_collective(request, slug):
    collective = access.collective_or_404(slug)
    if not access.can_name_leaders(request.user):
        raise PermissionDenied
    return collective


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def leaders(request, slug):
    collective = _admin_collective(request, slug)
    if request.method != "POST":
        form = LeaderForm(initial={"starts_on": timezone.localdate()})
        return _leaders_page(request, collective, form)
    form = LeaderForm(request.POST)
    if not form.is_valid():
        return _leaders_page(request, collective, form, status=400)
    data = form.cleaned_data
    try:
        role = actions.appoint_leader(
            collective.pk,
            actor=request.user,
            person=form.person,
            title=data["title"],
            other_title=data.get("other_title", ""),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
        )
    except Refused as refused:
        add_to_form(form, refused)
        return _leaders_page(request, collective, form, status=400)
    messages.success(
        request,
        _("%(name)s is %(title)s of %(collective)s.")
        % {"name": role.person.display_name, "title": role.label, "collective": collective.name},
    )
    return redirect(reverse("collectives:manage_leaders", args=[collective.slug]))


@login_required
@require_POST
def leader_end(request, slug, pk):
    collective = _admin_collective(request, slug)
    role = LeaderRole.objects.filter(pk=pk, collective=collective).first()
    if role is None:
        raise Http404
    role = actions.end_leader_term(role.pk, actor=request.user)
    names = {"name": role.person.display_name, "title": role.label}
    if role.pk is None:  # it had not begun: withdrawn
        messages.success(request, _("The term of %(name)s as %(title)s is withdrawn.") % names)
    else:
        messages.success(request, _("The term of %(name)s as %(title)s has ended.") % names)
    return redirect(reverse("collectives:manage_leaders", args=[collective.slug]))
