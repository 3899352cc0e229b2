from django.urls import path

from dfsp.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mark/", views.mark, name="mark"),
    path("<int:message_id>/", views.open_message, name="open"),
]
