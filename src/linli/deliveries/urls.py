from django.urls import path

from . import views

app_name = "deliveries"
urlpatterns = [
    path("", views.board, name="board"),
    path("pack/", views.pack_all, name="pack_all"),
    path("plan/", views.plan, name="plan"),
    path("pick-lists/", views.pick_lists, name="pick_lists"),
    path("suppliers/export/", views.supplier_export, name="supplier_export"),
    path("suppliers/receive/", views.supplier_receive, name="supplier_receive"),
    path("wards/<int:pk>/order/", views.order_for_ward, name="order_ward"),
    path("wards/<int:pk>/orders/", views.ward_orders, name="ward_orders"),
    path("households/<int:pk>/order/", views.order_for_household, name="order_household"),
    path("link/<str:token>/", views.order_by_link, name="order_link"),
    path("orders/<int:pk>/pack/", views.pack, name="pack"),
    path("runs/", views.my_runs, name="my_runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/take/", views.take, name="take"),
    path("runs/<int:pk>/assign/", views.assign, name="assign"),
    path("stops/<int:pk>/done/", views.delivered, name="delivered"),
    path("stops/<int:pk>/failed/", views.failed, name="failed"),
]
