from django.urls import path

from . import views

app_name = "supplies"
urlpatterns = [
    path("", views.stock, name="stock"),
    path("request/", views.ask, name="request"),
    path("locations/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("locations/<int:pk>/move/", views.move, name="move"),
    path("locations/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("locations/<int:pk>/ledger.xlsx", views.export, name="export"),
]
