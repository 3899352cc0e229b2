from django.urls import path

from dfsp.datahub import views

app_name = "datahub"
urlpatterns = [
    path("", views.home, name="home"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<int:source_id>/", views.source_detail, name="source_detail"),
    path("sources/<int:source_id>/upload/", views.source_upload, name="source_upload"),
    path("sources/<int:source_id>/pull/", views.source_pull, name="source_pull"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:batch_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:batch_id>/progress/", views.run_progress, name="run_progress"),
    path("standards/elements/", views.element_list, name="elements"),
    path("standards/code-sets/", views.code_set_list, name="code_sets"),
    path("standards/code-sets/<int:code_set_id>/", views.code_set_detail, name="code_set_detail"),
    path("standards/mappings/", views.mapping_list, name="mappings"),
    path("quality/", views.quality_dashboard, name="quality"),
    path("quality/issues/", views.issue_list, name="issues"),
    path("quality/issues/<int:issue_id>/", views.issue_detail, name="issue_detail"),
    path("quality/issues/<int:issue_id>/feedback/", views.issue_feedback, name="issue_feedback"),
    path("quality/issues/<int:issue_id>/waive/", views.issue_waive, name="issue_waive"),
    path("quality/issues/<int:issue_id>/resubmit/", views.issue_resubmit, name="issue_resubmit"),
    path("profiles/", views.profile_search, name="profiles"),
    path("profiles/<str:uscc>/", views.profile_detail, name="profile_detail"),
    path("profiles/<str:uscc>/reveal/", views.profile_reveal, name="profile_reveal"),
]
