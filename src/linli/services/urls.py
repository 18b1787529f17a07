from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/<str:token>/", views.ask, name="ask"),
    path("new/", views.new, name="new"),
    path("for-me/", views.ask_self, name="ask_self"),
    path("link/", views.community_link, name="community_link"),
    path("residents/<int:pk>/link/", views.resident_link, name="resident_link"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/take/", views.take, name="take"),
    path("cases/<int:pk>/status/", views.set_status, name="status"),
    path("cases/<int:pk>/notes/", views.add_note, name="note"),
    path("cases/<int:pk>/close/", views.close, name="close"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("wellbeing/", views.checkin, name="checkin"),
    path("wellbeing/support/", views.support, name="support"),
]
