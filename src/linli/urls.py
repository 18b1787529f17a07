from django.contrib import admin
from django.urls import include, path, register_converter

from linli.api import api
from linli.common import views as common_views
from linli.common.dates import DayConverter

register_converter(DayConverter, "day")  # before the apps' URLs, which use it

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accounts/", include("linli.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("places/", include("linli.places.urls")),
    path("register/", include("linli.register.urls")),
    path("guardianship/", include("linli.guardianship.urls")),
    path("jobs/", include("linli.jobs.urls")),
    path("notifications/", include("linli.notifications.urls")),
    path("rostering/", include("linli.rostering.urls")),
    path("dedupe/", include("linli.dedupe.urls")),
    path("reports/", include("linli.reports.urls")),
    path("supplies/", include("linli.supplies.urls")),
    path("services/", include("linli.services.urls")),
    path("taskforce/", include("linli.taskforce.urls")),
    path("screening/", include("linli.screening.urls")),
    path("deliveries/", include("linli.deliveries.urls")),
    path("reach/", include("linli.reach.urls")),
    path("api/", api.urls),
    path("", include("linli.offline.urls")),
    path("admin/", admin.site.urls),
]
