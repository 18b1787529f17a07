from django.urls import path

from . import views

app_name = "rostering"
urlpatterns = [
    path("my-shifts/", views.my_shifts, name="my_shifts"),
    path("my-shifts/availability/", views.my_availability, name="my_availability"),
    path("shifts/<int:pk>/swap/", views.swap, name="swap"),
    path("shifts/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("shifts/<int:pk>/confirm/", views.confirm_worked, name="confirm_worked"),
    path("community/<str:code>/", views.community, name="community"),
    path("community/<str:code>/build/", views.build, name="build"),
    path("community/<str:code>/fatigue/", views.fatigue, name="fatigue"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster"),
    path("rosters/<int:pk>/publish/", views.publish, name="publish"),
    path("rosters/<int:pk>/reroster/", views.reroster, name="reroster"),
    path("rosters/<int:pk>/export.xlsx", views.export, name="export"),
    path("swaps/<int:pk>/decide/", views.decide_swap, name="decide_swap"),
]
