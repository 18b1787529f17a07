from django.urls import path

from . import views

app_name = "reach"
urlpatterns = [
    path("", views.index, name="index"),
    path("rollcalls/<int:pk>/", views.board, name="board"),
    path("callbacks/<str:provider>/", views.callback, name="callback"),
    path("warnings/", views.warning, name="warning"),
    path("family/<str:token>/", views.family, name="family"),
]
