from django.shortcuts import get_object_or_404, render

from belong.collectives.models import Collective, CollectivesPage, FocusArea


def collective_list(request):
    collectives = Collective.objects.filter(is_active=True).prefetch_related("focus_areas")
    return render(
        request,
        "collectives/list.html",
        {
            "page": CollectivesPage.current(),
            "collectives": collectives,
            "focus_areas": FocusArea.objects.all(),
        },
    )


def collective_detail(request, slug):
    collective = get_object_or_404(
        Collective.objects.prefetch_related("focus_areas", "commitments"), slug=slug, is_active=True
    )
    return render(request, "collectives/detail.html", {"collective": collective})
