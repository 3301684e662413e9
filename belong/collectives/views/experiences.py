"""Sharing an experience with a collective's leaders (anyone signed in), and the leaders' pages
to read and moderate what was shared (its current leaders only: access.can_read_experiences),
from the day after it was shared (access.readable_experiences).

Thin views: load and authorize (collectives.access), call the action
(collectives.actions.experiences), redirect with a message, or render the form again with its
errors. The share view keeps nothing of the request: no message in the session, no log line;
the thank-you page's address is the same for named and anonymous shares."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from belong.collectives import access
from belong.collectives.actions import experiences as actions
from belong.collectives.actions.memberships import Refused
from belong.collectives.forms.experiences import ANONYMOUS, PublishForm, ShareForm, StateFilterForm
from belong.collectives.models import Experience
from belong.lib import ratelimit
from belong.lib.refusals import add_to_form

LIST_PAGE_SIZE = 50


# Every variable the sharing pages' templates look up, so that none is missing: Django logs a
# missing variable at DEBUG with the whole template context, which names the signed-in person.
# (tests/collectives/test_experience_pages.py captures every record at DEBUG to hold this.)
QUIET_TEMPLATE_CONTEXT = {"nav_section": "collectives", "hint": ""}


# --- sharing -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def share(request, slug):
    collective = access.collective_or_404(slug)
    status = 200
    if request.method == "POST":
        form = ShareForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.share(
                    collective.pk,
                    person=request.user,
                    text=data["text"],
                    anonymous=data["how"] == ANONYMOUS,
                    consent_to_publish=data["consent_to_publish"],
                )
            except Refused as refusal:
                if refusal.status == 404:
                    raise Http404 from refusal
                add_to_form(form, refusal)  # the form keeps what was written
                status = refusal.status
            else:
                return redirect("collectives:share_thanks", collective.slug)
    else:
        form = ShareForm()
    response = render(
        request,
        "collectives/experiences/share.html",
        {
            "collective": collective,
            "form": form,
            "shares_per_hour": actions.shares_per_hour(),
            **QUIET_TEMPLATE_CONTEXT,
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(ratelimit.retry_after(actions.RATE_WINDOW))
    return response


@login_required
@require_safe
def share_thanks(request, slug):
    collective = access.collective_or_404(slug)
    return render(
        request,
        "collectives/experiences/thanks.html",
        {"collective": collective, **QUIET_TEMPLATE_CONTEXT},
    )


# --- moderation ----------------------------------------------------------------------------------


@login_required
@require_safe
def experience_list(request, slug):
    collective = access.experiences_collective_or_403(request.user, slug)
    form = StateFilterForm(request.GET or None)
    states = form.states() if form.is_bound else StateFilterForm().states()
    experiences = (
        access.readable_experiences(collective)
        .filter(state__in=states)
        .select_related("person")
        # The day, then the random id: nothing tells in what order a day's were shared.
        .order_by("-shared_on", "pk")
    )
    page = Paginator(experiences, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "collectives/experiences/list.html",
        {
            "collective": collective,
            "form": form,
            "page_obj": page,
            "experiences": page.object_list,
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _experience_or_404(collective, pk) -> Experience:
    experience = (
        access.readable_experiences(collective).select_related("person").filter(pk=pk).first()
    )
    if experience is None:
        raise Http404
    return experience


SUCCESS = {
    "mark_read": gettext_lazy("Marked as read."),
    "hide": gettext_lazy("Hidden: it no longer appears among the new and read experiences."),
    "publish": gettext_lazy("Published on the collective's page as an anonymous story."),
    "unpublish": gettext_lazy("Taken off the collective's page."),
}


@login_required
@require_http_methods(["GET", "POST"])
def experience_detail(request, slug, pk):
    collective = access.experiences_collective_or_403(request.user, slug)
    experience = _experience_or_404(collective, pk)
    publish_form = None
    refusal_message = ""
    status = 200
    if request.method == "POST":
        verb = request.POST.get("action", "")
        try:
            if verb == "publish":
                publish_form = PublishForm(request.POST)
                if publish_form.is_valid():
                    actions.publish(
                        experience.pk,
                        actor=request.user,
                        story_text=publish_form.cleaned_data["story_text"],
                    )
                else:
                    status = 400
            elif verb == "mark_read":
                actions.mark_read(experience.pk, actor=request.user)
            elif verb == "hide":
                actions.hide(experience.pk, actor=request.user)
            elif verb == "unpublish":
                actions.unpublish(experience.pk, actor=request.user)
            else:
                refusal_message = _("Choose what to do: mark as read, hide, publish or unpublish.")
                status = 400
        except Refused as refusal:
            if publish_form is not None and refusal.status == 400:
                add_to_form(publish_form, refusal)
            else:
                refusal_message = refusal.message
            status = refusal.status
            experience = _experience_or_404(collective, pk)  # as it is now
        if status == 200:
            messages.success(request, SUCCESS[verb])
            return redirect("collectives:experience", collective.slug, experience.pk)
    if publish_form is None and experience.consent_to_publish:
        publish_form = PublishForm(initial={"story_text": experience.story_text or experience.text})
    return render(
        request,
        "collectives/experiences/detail.html",
        {
            "collective": collective,
            "experience": experience,
            "publish_form": publish_form,
            "refusal": refusal_message,
        },
        status=status,
    )
