from django.contrib import admin
from django.urls import include, path

import belong.lib.converters  # noqa: F401  registers <id:...> before any app's urls are read
from belong.api.api import api
from belong.home import views as home_views
from belong.lib.media import serve_public
from belong.people.forms import AdminSignInForm

admin.site.site_header = "Belong administration"
admin.site.site_title = "Belong"
# Its own sign-in page takes a password too: under the same rule as ours (operators only, when set).
admin.site.login_form = AdminSignInForm

# Every error in its shape: the API's JSON under /api/, a page needing no database elsewhere.
handler400 = "belong.lib.errors.bad_request"
handler403 = "belong.lib.errors.permission_denied"
handler404 = "belong.lib.errors.page_not_found"
handler500 = "belong.lib.errors.server_error"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", home_views.healthz, name="healthz"),
    # Public pictures only (belong.lib.media); nginx serves the same folder in a deployment.
    path("media/<path:name>", serve_public, name="public_media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("belong.people.urls")),
    path("me/certificates/", include("belong.training.certificate_urls")),
    path("collectives/", include("belong.collectives.urls")),
    path("training/", include("belong.training.urls")),
    path("", include("belong.events.urls")),
    path("mentorship/", include("belong.mentorship.urls")),
    path("resources/", include("belong.library.urls")),
    path("insights/", include("belong.insights.urls")),
    path("api/v1/", api.urls),
    # SCIM 2.0 provisioning (issue 16): bearer tokens from `manage.py scim_token`, no session.
    path("scim/v2/", include("belong.people.scim.urls")),
    path("admin/", admin.site.urls),
]
