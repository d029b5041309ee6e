from django.contrib import admin
from django.urls import include, path

from rathaus.api import api

urlpatterns = [
    path("", include("rathaus.core.urls")),
    path("", include("rathaus.catalog.urls")),
    path("", include("rathaus.applications.urls")),
    path("bezahlen/", include("rathaus.payments.urls")),
    path("dateien/", include("rathaus.uploads.urls")),
    path("postfach/", include("rathaus.postbox.urls")),
    path("", include("rathaus.accounts.urls")),
    path("verwaltung/vorgaenge/", include("rathaus.cases.urls")),
    path("verwaltung/statistik/", include("rathaus.analytics.urls")),
    path("termine/", include("rathaus.appointments.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
