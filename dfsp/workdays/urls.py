from django.urls import path

from dfsp.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_home, name="home"),
    path("<int:year>/", views.year_view, name="year"),
    path("<int:year>/seed/", views.seed_year, name="seed_year"),
    path("days/new/", views.day_edit, name="day_add"),
    path("days/<str:day>/", views.day_edit, name="day_edit"),
    path("days/<str:day>/delete/", views.day_delete, name="day_delete"),
    path("time-limits/", views.time_limits, name="time_limits"),
    path("time-limits/save/", views.time_limit_save, name="time_limit_save"),
]
