"""The site's URLs plus views that fail as code can fail, for tests/lib/test_errors.py."""

from django.urls import path

from belong.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("a bug: secret internals")


urlpatterns = [path("api/crash", crash), path("crash/", crash), *urlpatterns]
