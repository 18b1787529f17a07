from django.urls import path

from . import import_views, views, vocabulary_views

app_name = "register"
urlpatterns = [
    path("", views.resident_list, name="list"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/reveal-id/", views.reveal_id_number, name="reveal_id"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_detail, name="import"),
    path("import/<int:pk>/accept/", import_views.import_accept, name="import_accept"),
    path("vocabulary/", vocabulary_views.vocabulary, name="vocabulary"),
    path("import/<int:pk>/rejected.xlsx", import_views.import_rejected, name="import_rejected"),
]
