from django.urls import path, re_path

from dfsp.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/<int:seq>/", views.event_detail, name="event_detail"),
    re_path(r"^export/(?P<file_format>csv|xlsx)/$", views.event_export, name="export"),
    path("verify/", views.verify, name="verify"),
]
