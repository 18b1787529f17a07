from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.walk, name="walk"),
    path("record/", views.record, name="record"),
    path("households/<int:pk>/", views.household, name="household"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/residents/<int:pk>/start/", views.quarantine_start, name="quarantine_start"),
    path("quarantine/<int:pk>/release/", views.quarantine_release, name="quarantine_release"),
    path("quarantine/days/<str:code>/", views.quarantine_days, name="quarantine_days"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:code>/<day:day>/", views.report, name="report"),
    path("reports/<str:code>/<day:day>/submit/", views.report_submit, name="report_submit"),
]
