from django.urls import path

from . import views

app_name = "guardianship"
urlpatterns = [
    path("my-wards/", views.my_wards, name="my_wards"),
    path("coverage/<str:code>/", views.coverage, name="coverage"),
    path("coverage/<str:code>/replan/", views.replan, name="replan"),
    path("wards/<int:pk>/", views.ward_detail, name="ward"),
    path("wards/<int:pk>/pin/", views.pin, name="pin"),
    path("wards/<int:pk>/contacts/", views.log_contact, name="log_contact"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("volunteers/<int:pk>/status/", views.set_status, name="set_status"),
]
