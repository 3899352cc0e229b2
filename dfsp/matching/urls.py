from django.urls import path

from dfsp.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.my_matches, name="my_matches"),
    path("demands/<int:demand_id>/", views.demand_matches, name="demand_matches"),
    path("products/", views.product_matches, name="product_matches"),
    path("overview/", views.overview, name="overview"),
    path("overview/recompute/", views.recompute, name="recompute"),
]
