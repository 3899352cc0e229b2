from django.urls import path

from dfsp.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.models_list, name="models"),
    path("models/<int:model_id>/", views.model_detail, name="model_detail"),
    path("models/<int:model_id>/derive/", views.version_derive, name="version_derive"),
    path("models/fit/", views.fit_candidate, name="fit_candidate"),
    path("versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<int:version_id>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:version_id>/activate/", views.version_activate, name="version_activate"),
    path("versions/<int:version_id>/retire/", views.version_retire, name="version_retire"),
    path("scores/", views.scores, name="scores"),
    path("scores/<int:score_id>/", views.score_detail, name="score_detail"),
    path("scores/<int:score_id>/recompute/", views.score_recompute, name="score_recompute"),
    path("pre-assessment/", views.self_assessment, name="self_assessment"),
]
