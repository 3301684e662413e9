from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from belong.library import actions
from belong.library.models import Policy, PolicyReview


def index(request):
    return render(
        request,
        "library/index.html",
        {
            "policies": Policy.objects.filter(is_public=True),
        },
    )


def policy_detail(request, slug):
    policy = get_object_or_404(Policy, slug=slug, is_public=True)
    return render(
        request,
        "library/policy.html",
        {
            "policy": policy,
            "version": policy.versions.order_by("-number").first(),
            "may_review": actions.can_review(request.user, policy),
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
    policy = get_object_or_404(Policy.objects.select_related("steward"), slug=slug)
    if not actions.can_review(request.user, policy):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.record_review(policy.pk, actor=request.user, **form.cleaned_data)
            except actions.Refused as refusal:
                form.add_error(refusal.field, refusal.message)
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
