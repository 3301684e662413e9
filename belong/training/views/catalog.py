from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from belong.events.models import Event
from belong.events.views import with_seats
from belong.training import catalog_cache, catalog_queries
from belong.training.actions.certificates import completed_courses
from belong.training.forms.catalog import CatalogFilters
from belong.training.models import Contact, Course, TrainingPage


def _sessions(request, queryset):
    # with_counts() groups rows, and Meta.ordering does not apply to GROUP BY queries: order here.
    return (
        queryset.visible_to(request.user)
        .with_counts()
        .select_related("campus")
        .order_by("start", "pk")
    )


@require_safe
def catalog(request):
    """The catalog: the "start here" path through the foundational courses, then every offered
    course, filtered by a GET form (belong.training.forms.catalog, belong.training.catalog_queries). Bad filter values: 400. For
    visitors, everything under the site header comes from the cache when it can
    (belong.training.catalog_cache); never for signed-in people."""
    entry_key = catalog_cache.key(request)
    version = parts = None
    if entry_key is not None:
        version, parts = catalog_cache.lookup(entry_key)
    status = 200
    if parts is None:
        parts, status = _catalog_parts(request)
        if entry_key is not None and status == 200:
            catalog_cache.store(entry_key, version, parts)
    return render(request, "training/catalog.html", {"parts": parts}, status=status)


def _catalog_parts(request):
    """The catalog's title, page head and body, rendered; and the status (400: bad filters)."""
    topics, campuses = catalog_queries.load_choices()
    form = CatalogFilters(request.GET or None, topics=topics, campuses=campuses)
    valid = not form.is_bound or form.is_valid()
    filters = form.cleaned_data if form.is_bound and valid else {}
    courses = catalog_queries.offered_courses(request.user, filters)
    completed = completed_courses(request.user) if request.user.is_authenticated else {}
    start_here = [course for course in courses if course.foundational]
    for course in start_here:
        course.completed_on = completed.get(course.pk)
    results = (
        catalog_queries.listed(courses, filters, session_filters=form.session_filters_set())
        if filters
        else courses
    )
    page = TrainingPage.current()
    context = {
        "page": page,
        "form": form,
        "filtered": form.is_bound and form.active,
        "valid": valid,
        "courses": results if valid else [],
        "start_here": start_here,
        "completed_count": sum(1 for course in start_here if course.completed_on),
        "contacts": Contact.objects.all(),
    }
    parts = {
        "title": render_to_string("training/partials/catalog_title.html", context),
        "head": render_to_string("training/partials/catalog_head.html", context),
        "body": render_to_string("training/partials/catalog_body.html", context, request),
    }
    return parts, 200 if valid else 400


@require_safe
def course_detail(request, slug):
    """A course: what it is, its objectives and pre-work, and its upcoming sessions with seats
    left. Courses no longer offered are 404."""
    course = get_object_or_404(
        Course.objects.filter(is_active=True).prefetch_related(
            "objectives", "prework_files", "topics"
        ),
        slug=slug,
    )
    now = timezone.now()
    sessions = _sessions(request, course.sessions.all())
    upcoming = with_seats(sessions.upcoming(now))
    present = {session.format for session in upcoming}
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "page": TrainingPage.current(),
            "upcoming": upcoming,
            "session_formats": [label for value, label in Event.Format.choices if value in present],
            "past": sessions.filter(start__lt=now)
            .exclude(status=Event.Status.CANCELLED)
            .order_by("-start")[:10],
            "contacts": Contact.objects.all(),
        },
    )


@login_required
@require_safe
def prework_file(request, pk):
    """Download a pre-work file. A course's files: anyone signed in; a session's own: its
    registrants (not cancelled) and whoever runs it (training.access.can_download_prework).
    Anyone else: 404, as if it did not exist. Served as an attachment under its stored name
    (already made safe by the storage), with the content type checked at upload, never cached
    by shared caches."""
    from django.http import Http404

    from belong.lib.files import attachment
    from belong.training import access
    from belong.training.models import PreworkFile

    item = PreworkFile.objects.select_related("event").filter(pk=pk).first()
    if item is None or not access.can_download_prework(request.user, item):
        raise Http404
    return attachment(item.file, item.content_type, private=True)
