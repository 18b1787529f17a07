from django.urls import path

from . import views

app_name = "dedupe"
urlpatterns = [
    path("", views.review, name="review"),
    path("run/", views.run, name="run"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/merge/", views.merge, name="merge"),
    path("pairs/<int:pk>/reject/", views.reject, name="reject"),
    path("merges/<int:pk>/undo/", views.undo, name="undo"),
]
