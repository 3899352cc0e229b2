from django.urls import path

from dfsp.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("policies/", views.policies, name="policies"),
    path("search/", views.search, name="search"),
    path("data-overview/", views.data_overview, name="data_overview"),
    path("questions/", views.questions, name="questions"),
    path("questions/ask/", views.ask_question, name="ask_question"),
    path("questions/mine/", views.my_questions, name="my_questions"),
    path("questions/manage/", views.questions_manage, name="questions_manage"),
    path("questions/manage/<int:question_id>/", views.question_handle, name="question_handle"),
    path("questions/<int:question_id>/", views.question_detail, name="question_detail"),
    path("content/<int:page_id>/withdraw/", views.withdraw_page, name="withdraw_page"),
    path("courses/<int:page_id>/signup/", views.course_signup, name="course_signup"),
    path("courses/<int:page_id>/attendance/", views.course_attendance, name="course_attendance"),
]
