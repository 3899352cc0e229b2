from django.urls import path

from dfsp.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("account/", views.account, name="account"),
    path("account/members/new/", views.member_add, name="member_add"),
    path("account/members/<int:user_id>/toggle/", views.member_toggle, name="member_toggle"),
    path("certification/", views.certification_submit, name="certification"),
    path("materials/<int:material_id>/", views.material_download, name="material"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:certification_id>/", views.review_detail, name="review_detail"),
    path("blacklist/", views.blacklist, name="blacklist"),
    path("blacklist/new/", views.blacklist_edit, name="blacklist_create"),
    path("blacklist/import/", views.blacklist_import, name="blacklist_import"),
    path("blacklist/<int:entry_id>/edit/", views.blacklist_edit, name="blacklist_edit"),
    path("blacklist/<int:entry_id>/end/", views.blacklist_end, name="blacklist_end"),
]
