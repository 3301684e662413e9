from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from belong.lib.files import attachment
from belong.lib.refusals import add_to_form
from belong.lib.request_limits import MB, accepts_uploads
from belong.library import access, actions, resources
from belong.library.models import Policy, PolicyReview, Resource
from belong.people.access import allowed_or_403

PAGE_SIZE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the clearinghouse"), required=False, max_length=200)
    tag = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Every topic")), *Resource.Tag.choices]
    )


def index(request):
    """The policies, and the clearinghouse: published resources, searched and by topic."""
    search = SearchForm(request.GET or None)
    found = Resource.objects.filter(state=Resource.State.PUBLISHED)
    status = 200
    if search.is_bound and not search.is_valid():
        status = 400
    elif search.is_bound:
        tag = search.cleaned_data["tag"]
        if tag:
            # JSON lists hold tags as strings: a containment test that works on both databases.
            found = found.filter(tags__icontains=f'"{tag}"')
        found = resources.search(found, search.cleaned_data["q"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/index.html",
        {
            "policies": Policy.objects.filter(is_public=True).prefetch_related("versions"),
            "search": search,
            "page": page,
            "searching": search.is_bound,
            "may_curate": access.can_curate(request.user),
        },
        status=status,
    )


class SuggestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is and why it helps, in a few sentences."),
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("Or a file"), required=False, help_text=_("PDF, Word, PowerPoint or Excel.")
    )
    tags = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Resource.Tag.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )


@accepts_uploads(lambda: settings.PREWORK_MAX_MB * MB)
@require_http_methods(["GET", "POST"])
@login_required
def suggest(request):
    form = SuggestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                resources.suggest(
                    person=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    tags=data["tags"],
                    link=data["link"],
                    upload=data["file"],
                )
            except resources.Refused as refusal:
                form.add_error(
                    refusal.field if refusal.field in form.fields else None, refusal.message
                )
            else:
                messages.success(
                    request,
                    _("Thank you. A coordinator reads it before it is listed."),
                )
                return redirect("library:index")
        return render(request, "library/suggest.html", {"form": form}, status=400)
    return render(request, "library/suggest.html", {"form": form})


@require_http_methods(["GET", "POST"])
@allowed_or_403(access.can_curate)
def curate(request):
    error = None
    if request.method == "POST":
        try:
            resource_id = int(request.POST.get("resource", ""))
        except ValueError:
            resource_id = None
        resource = Resource.objects.filter(pk=resource_id).first() if resource_id else None
        if resource is None:
            error = _("Choose a resource from the list.")
        else:
            try:
                resources.curate(
                    resource.pk,
                    actor=request.user,
                    state=request.POST.get("state", ""),
                    reason=request.POST.get("reason", ""),
                )
            except resources.Refused as refusal:
                error = refusal.message
            else:
                messages.success(request, _("“%(title)s” was updated.") % {"title": resource.title})
                return redirect("library:curate")
    waiting = Resource.objects.filter(state=Resource.State.SUBMITTED).select_related("submitted_by")
    published = Resource.objects.filter(state=Resource.State.PUBLISHED)[:50]
    return render(
        request,
        "library/curate.html",
        {"waiting": waiting, "published": published, "error": error},
        status=400 if error else 200,
    )


@require_safe
def resource_file(request, pk):
    """A resource's file: anyone for a published one; a curator or its author before."""
    resource = access.resource_file_or_404(request.user, pk)
    return attachment(resource.file, resource.content_type)


def policy_detail(request, slug):
    policy = get_object_or_404(Policy, slug=slug, is_public=True)
    return render(
        request,
        "library/policy.html",
        {
            "policy": policy,
            "version": policy.versions.order_by("-number").first(),
            "may_review": access.can_review(request.user, policy),
        },
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The policy"),
        choices=PolicyReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("The new version's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Only for a new version. Paragraphs separated by a blank line."),
    )
    effective_on = forms.DateField(
        label=_("In effect from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only for a new version; today if left empty."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@require_http_methods(["GET", "POST"])
@login_required
def policy_review(request, slug):
    """Record a review of a policy: for DEI administrators and the policy's steward."""
    policy = access.policy_to_review_or_403(request.user, slug)
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.record_review(policy.pk, actor=request.user, **form.cleaned_data)
            except actions.Refused as refusal:
                add_to_form(form, refusal)
            else:
                messages.success(request, _("The review was recorded."))
                return redirect(policy.get_absolute_url())
        status = 400
    return render(
        request,
        "library/policy_review.html",
        {
            "policy": policy,
            "version": policy.versions.order_by("-number").first(),
            "reviews": policy.reviews.select_related("by", "version")[:20],
            "form": form,
        },
        status=status,
    )
