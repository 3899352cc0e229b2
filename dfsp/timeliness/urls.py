from django.urls import path

from dfsp.timeliness import views

app_name = "timeliness"
urlpatterns = [
    path("late/", views.late, name="late"),
    path("late/<int:application_id>/urge/", views.urge, name="urge"),
    path("urges/", views.urges, name="urges"),
    path("urges/<int:urge_id>/reply/", views.reply, name="reply"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/<int:escalation_id>/close/", views.close, name="close"),
    path("scorecard/", views.scorecard, name="scorecard"),
]
