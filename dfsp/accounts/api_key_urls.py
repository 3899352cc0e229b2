from django.urls import path

from dfsp.accounts import api_key_views

app_name = "api_keys"
urlpatterns = [
    path("", api_key_views.api_key_list, name="list"),
    path("new/", api_key_views.api_key_create, name="create"),
    path("<int:key_id>/revoke/", api_key_views.api_key_revoke, name="revoke"),
]
