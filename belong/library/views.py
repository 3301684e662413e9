from django.shortcuts import get_object_or_404, render

from belong.library.models import Policy


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
        },
    )
