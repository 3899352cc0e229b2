from django.urls import path

from dfsp.postloan.views import fitting, loans, overdue, statistics

app_name = "postloan"
urlpatterns = [
    path("loans/", loans.loan_list, name="loan_list"),
    path("loans/<int:loan_id>/", loans.loan_detail, name="loan_detail"),
    path("loans/<int:loan_id>/rate/", loans.loan_rate, name="loan_rate"),
    path("loans/<int:loan_id>/deferral/", loans.deferral_request, name="deferral_request"),
    path("loans/<int:loan_id>/renewal/", loans.renewal_request, name="renewal_request"),
    path("loans/<int:loan_id>/overdue/new/", overdue.report_create, name="report_create"),
    path("loans/<int:loan_id>/monitoring/", overdue.monitoring, name="monitoring"),
    path("loans/<int:loan_id>/monitoring/request/", overdue.monitoring_request, name="monitoring_request"),
    path("deferrals/", loans.deferral_list, name="deferral_list"),
    path("deferrals/<int:deferral_id>/", loans.deferral_detail, name="deferral_detail"),
    path("deferrals/<int:deferral_id>/decide/", loans.deferral_decide, name="deferral_decide"),
    path("deferrals/<int:deferral_id>/withdraw/", loans.deferral_withdraw, name="deferral_withdraw"),
    path("overdue/", overdue.report_list, name="report_list"),
    path("overdue/<int:report_id>/", overdue.report_detail, name="report_detail"),
    path("overdue/<int:report_id>/update/", overdue.report_update, name="report_update"),
    path("overdue/<int:report_id>/propose/", overdue.report_propose, name="report_propose"),
    path("proposals/", overdue.proposal_list, name="proposal_list"),
    path("proposals/<int:proposal_id>/review/", overdue.proposal_review, name="proposal_review"),
    path("history/", overdue.borrower_history, name="borrower_history"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("fit/", fitting.fit_from_history, name="fit_from_history"),
    path("statistics/export/", statistics.statistics_export, name="statistics_export"),
]
