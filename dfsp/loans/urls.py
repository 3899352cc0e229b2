from django.urls import path

from dfsp.loans import views

app_name = "loans"
urlpatterns = [
    path("", views.loan_list, name="list"),
    path("mine/", views.my_loans, name="mine"),
    path("<int:loan_id>/", views.loan_detail, name="detail"),
    path("<int:loan_id>/repay/", views.repay, name="repay"),
    path("disburse/<int:application_id>/", views.disburse, name="disburse"),
]
