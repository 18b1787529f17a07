from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("<str:code>/", views.place_detail, name="detail"),
    path("<str:code>/seal/", views.compound_seal, name="seal"),
]
