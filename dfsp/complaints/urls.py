from django.urls import path

from dfsp.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.file_complaint, name="file"),
    path("filed/", views.filed, name="filed"),
    path("lookup/", views.lookup, name="lookup"),
    path("track/", views.track, name="track"),
    path("manage/", views.manage, name="manage"),
    path("manage/statistics/", views.statistics, name="statistics"),
    path("manage/<int:complaint_id>/", views.handle, name="handle"),
    path("manage/<int:complaint_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
