from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("log/", views.generations, name="log"),
    path("upload/", views.upload, name="upload"),
    path("schedule/", views.schedule, name="schedule"),
    path("<str:key>/<str:code>/<day:day>.<str:fmt>", views.download, name="download"),
]
