from django.urls import include, path

from dfsp.accounts.views import login, manage

app_name = "accounts"
urlpatterns = [
    path("login/", login.login_view, name="login"),
    path("login/verify/", login.otp_verify_view, name="otp_verify"),
    path("login/enrol/", login.otp_setup_view, name="otp_setup"),
    path("logout/", login.logout_view, name="logout"),
    path("password/", login.password_change_view, name="password_change"),
    path("me/", login.profile_view, name="profile"),
    path("organisations/", manage.organisation_list, name="organisations"),
    path("organisations/new/", manage.organisation_create, name="organisation_create"),
    path("users/", manage.user_list, name="users"),
    path("users/new/", manage.user_create, name="user_create"),
    path("users/<int:user_id>/", manage.user_detail, name="user_detail"),
    path("users/<int:user_id>/grant/", manage.user_grant_role, name="user_grant_role"),
    path("users/<int:user_id>/revoke/", manage.user_revoke_role, name="user_revoke_role"),
    path("users/<int:user_id>/disable/", manage.user_disable, name="user_disable"),
    path("users/<int:user_id>/enable/", manage.user_enable, name="user_enable"),
    path("users/<int:user_id>/reset-password/", manage.user_reset_password, name="user_reset_password"),
    path("users/<int:user_id>/reset-totp/", manage.user_reset_totp, name="user_reset_totp"),
    path("security/lockouts/", manage.lockouts, name="lockouts"),
    path("api-keys/", include("dfsp.accounts.api_key_urls")),
]
