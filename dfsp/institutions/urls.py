from django.urls import path

from dfsp.institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.supermarket, name="supermarket"),
    path("results/", views.supermarket_results, name="supermarket_results"),
    path("products/<int:product_id>/", views.product_detail, name="product"),
    path("products/<int:product_id>/favourite/", views.toggle_favourite, name="favourite"),
    path("compare/", views.compare, name="compare"),
    path("favourites/", views.favourites, name="favourites"),
    path("manage/products/", views.my_products, name="my_products"),
    path("manage/products/new/", views.product_create, name="product_create"),
    path("manage/products/<int:product_id>/", views.manage_product, name="manage_product"),
    path("manage/products/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("manage/products/<int:product_id>/submit/", views.product_submit, name="product_submit"),
    path("manage/products/<int:product_id>/offline/", views.product_offline, name="product_offline"),
    path("manage/products/<int:product_id>/online/", views.product_online, name="product_online"),
    path("manage/products/<int:product_id>/revisions/", views.revision_diff, name="revision_diff"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:product_id>/approve/", views.product_approve, name="product_approve"),
    path("review/<int:product_id>/reject/", views.product_reject, name="product_reject"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/<int:product_id>/pin/", views.product_pin, name="product_pin"),
    path("onboarding/", views.institutions, name="institutions"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:member_id>/branch/", views.staff_assign, name="staff_assign"),
    path("staff/<int:member_id>/active/", views.staff_active, name="staff_active"),
]
