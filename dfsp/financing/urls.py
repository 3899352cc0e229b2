from django.urls import path

from dfsp.financing import views

app_name = "financing"
urlpatterns = [
    path("demands/", views.my_demands, name="my_demands"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:demand_id>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:demand_id>/withdraw/", views.demand_withdraw, name="demand_withdraw"),
    path("demands/<int:demand_id>/reveal/", views.demand_reveal, name="demand_reveal"),
    path("demands/<int:demand_id>/take/", views.demand_take, name="demand_take"),
    path("demands/<int:demand_id>/favourite/", views.demand_favourite, name="demand_favourite"),
    path("demands/<int:demand_id>/review/", views.demand_review, name="demand_review"),
    path("market/", views.market, name="market"),
    path("favourites/", views.favourites, name="favourites"),
    path("review/", views.review_queue, name="review_queue"),
]
