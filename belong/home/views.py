from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from belong.collectives.models import Collective, CollectivesPage
from belong.events.models import Event
from belong.events.views import with_seats
from belong.lib import errors
from belong.mentorship.models import Program
from belong.training.models import Course, TrainingPage


def home(request):
    upcoming = with_seats(
        Event.objects.upcoming()
        .visible_to(request.user)
        .with_counts()
        .prefetch_related("host")
        .select_related("series", "campus")
        .order_by("start", "pk")[:6]  # Meta.ordering does not apply to GROUP BY queries
    )
    return render(
        request,
        "home/home.html",
        {
            "collectives_page": CollectivesPage.current(),
            "collectives": Collective.objects.filter(is_active=True).only("name", "slug"),
            "training_page": TrainingPage.current(),
            "course_count": Course.objects.count(),
            "program": Program.current(),
            "upcoming": upcoming,
        },
    )


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return errors.health_unavailable()
    return JsonResponse({"status": "ok", "database": "ok"})
