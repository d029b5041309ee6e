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
    path("verwaltung/termine/", include("rathaus.appointments.desk_urls")),
    path("maengelmelder/", include("rathaus.reports.urls")),
    path("verwaltung/maengel/", include("rathaus.reports.staff_urls")),
    path("open311/v2/", include("rathaus.reports.open311.urls")),
    path("abfallkalender/", include("rathaus.waste.urls")),
    path("ausweisstatus/", include("rathaus.idstatus.urls")),
    path("verwaltung/ausweisstatus/", include("rathaus.idstatus.staff_urls")),
    path("daten/", include("rathaus.opendata.urls")),
    path("verwaltung/daten/", include("rathaus.opendata.staff_urls")),
    path("", include("rathaus.opendata.machine_urls")),
    path("reservierungen/", include("rathaus.reservations.urls")),
    path("verwaltung/reservierungen/", include("rathaus.reservations.staff_urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
