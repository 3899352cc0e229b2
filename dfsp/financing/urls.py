from django.urls import path

from dfsp.financing.views import applications, demands, desk, reports

app_name = "financing"
urlpatterns = [
    path("demands/", demands.my_demands, name="my_demands"),
    path("demands/new/", demands.demand_create, name="demand_create"),
    path("demands/<int:demand_id>/", demands.demand_detail, name="demand_detail"),
    path("demands/<int:demand_id>/withdraw/", demands.demand_withdraw, name="demand_withdraw"),
    path("demands/<int:demand_id>/reveal/", demands.demand_reveal, name="demand_reveal"),
    path("demands/<int:demand_id>/take/", demands.demand_take, name="demand_take"),
    path("demands/<int:demand_id>/favourite/", demands.demand_favourite, name="demand_favourite"),
    path("demands/<int:demand_id>/review/", demands.demand_review, name="demand_review"),
    path("demands/<int:demand_id>/invite/", desk.demand_invite, name="demand_invite"),
    path("market/", demands.market, name="market"),
    path("favourites/", demands.favourites, name="favourites"),
    path("review/", demands.review_queue, name="review_queue"),
    # Loan applications (FIN-P3)
    path("applications/", applications.my_applications, name="my_applications"),
    path("applications/new/", applications.apply, name="apply"),
    path("applications/<int:application_id>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:application_id>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:application_id>/resubmit/",
        applications.application_resubmit,
        name="application_resubmit",
    ),
    path("applications/<int:application_id>/accept/", desk.application_accept, name="application_accept"),
    path("applications/<int:application_id>/return/", desk.application_return, name="application_return"),
    path("applications/<int:application_id>/approve/", desk.application_approve, name="application_approve"),
    path("applications/<int:application_id>/reject/", desk.application_reject, name="application_reject"),
    path(
        "applications/<int:application_id>/proposal/",
        desk.application_decide_proposal,
        name="application_decide_proposal",
    ),
    path("applications/<int:application_id>/assign/", desk.application_assign, name="application_assign"),
    path("applications/<int:application_id>/notes/", desk.application_note, name="application_note"),
    path(
        "applications/<int:application_id>/assessment/",
        desk.application_assessment,
        name="application_assessment",
    ),
    path(
        "applications/materials/<int:material_id>/",
        applications.material_download,
        name="application_material",
    ),
    path("desk/", desk.desk, name="desk"),
    path("desk/settings/", desk.review_settings, name="review_settings"),
    path("statistics/", reports.statistics, name="statistics"),
    path("reasons/", reports.rejection_reasons, name="rejection_reasons"),
]
