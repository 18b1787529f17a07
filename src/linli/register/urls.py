from django.urls import path

from . import views

app_name = "register"
urlpatterns = [
    path("", views.resident_list, name="list"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/reveal-id/", views.reveal_id_number, name="reveal_id"),
]
