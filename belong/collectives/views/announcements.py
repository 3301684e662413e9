"""Announcements: a collective's leaders write one (/collectives/<slug>/manage/announcements/new/),
and it has a page of its own (/collectives/<slug>/announcements/<id>/); the collective's page
shows the latest (belong.collectives.sections.announcements_context).

Who may: writing is for those who run the collective (access.run_collective_or_403); reading a
public announcement is for everyone, a members-only one for the collective's members and
allies, its leaders and DEI administrators (access.can_read_announcement), and a 404 for anyone
else, as if it did not exist. Thin views: load and authorize, call the action
(belong.collectives.actions.announcements), redirect with a message, or render the form again
with its errors (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from belong.collectives import access
from belong.collectives.actions import announcements as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.forms.announcements import AnnouncementForm
from belong.collectives.models import Announcement
from belong.lib.refusals import add_to_form


def _form_page(request, collective, form, *, status=200):
    return render(
        request,
        "collectives/manage/announcement_form.html",
        {"collective": collective, "form": form},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request, slug):
    collective = access.run_collective_or_403(request.user, slug)
    if request.method != "POST":
        initial = {"focus_areas": [area.pk for area in collective.focus_areas.all()]}
        return _form_page(request, collective, AnnouncementForm(initial=initial))
    form = AnnouncementForm(request.POST)
    if not form.is_valid():
        return _form_page(request, collective, form, status=400)
    data = form.cleaned_data
    try:
        announcement = actions.post_announcement(
            collective.pk,
            actor=request.user,
            title=data["title"],
            body=data["body"],
            audience=data["audience"],
            focus_areas=list(data["focus_areas"]),
        )
    except Refused as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        add_to_form(form, refusal)
        return _form_page(request, collective, form, status=400)
    # Never how many it went to (belong.collectives.actions.announcements says why).
    messages.success(
        request,
        _(
            "The announcement is published. It is on its way by email to the members and allies "
            "who receive announcements by email."
        ),
    )
    return redirect("collectives:announcement", slug=collective.slug, pk=announcement.pk)


@require_safe
def announcement_detail(request, slug, pk):
    collective = access.collective_or_404(slug)
    announcement = (
        Announcement.objects.filter(collective=collective, pk=pk)
        .prefetch_related("focus_areas")
        .first()
    )
    if announcement is None or not access.can_read_announcement(request.user, announcement):
        raise Http404
    runs = access.can_run(request.user, collective)
    response = render(
        request,
        "collectives/announcement.html",
        {
            "collective": collective,
            "announcement": announcement,
            "runs": runs,
        },
    )
    if announcement.audience != Announcement.Audience.PUBLIC or runs:
        response["Cache-Control"] = "private, no-store"
    return response
