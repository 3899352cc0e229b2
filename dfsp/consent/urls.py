from django.urls import path

from dfsp.consent import views

app_name = "consent"
urlpatterns = [
    path("", views.enterprise, name="enterprise"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
    path("grants/<int:grant_id>/withdraw/", views.grant_withdraw, name="grant_withdraw"),
    path("requests/<int:request_id>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="request_decline"),
    path("usage/", views.usage, name="usage"),
    path("institution/", views.institution, name="institution"),
    path("institution/requests/new/", views.request_new, name="request_new"),
    path("institution/grants/<int:grant_id>/profile/", views.institution_profile, name="institution_profile"),
    path("institution/signing-secrets/", views.secrets, name="secrets"),
    path("audit/", views.regulator, name="regulator"),
    path("audit/export.csv", views.regulator_export, name="regulator_export"),
    path("scopes/", views.scopes, name="scopes"),
    path("scopes/<int:scope_id>/", views.scope_edit, name="scope_edit"),
]
