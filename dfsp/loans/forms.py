from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm
from dfsp.loans.states import EarlyRepaymentOption, LoanStatus, RepaymentMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DisburseForm(StyledForm):
    contract_number = forms.CharField(label=_("Contract number"), max_length=64)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=18, decimal_places=2, min_value=0.01)
    annual_rate = forms.DecimalField(label=_("Annual rate (%)"), max_digits=7, decimal_places=4, min_value=0)
    penalty_rate = forms.DecimalField(
        label=_("Penalty annual rate (%)"),
        max_digits=7,
        decimal_places=4,
        min_value=0,
        required=False,
        help_text=_("Leave empty for 1.5 × the contract rate."),
    )
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    repayment_day = forms.IntegerField(label=_("Repayment day of month"), min_value=1, max_value=31)
    method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)


class RepaymentForm(StyledForm):
    amount = forms.DecimalField(
        label=_("Amount received (yuan)"), max_digits=18, decimal_places=2, min_value=0.01
    )
    paid_on = forms.DateField(label=_("Received on"), widget=DATE)
    reference = forms.CharField(label=_("Bank reference"), max_length=64, required=False)
    early_option = forms.ChoiceField(
        label=_("If this repays principal early"),
        choices=[("", _("Not an early repayment"))] + list(EarlyRepaymentOption.choices),
        required=False,
    )


class LoanFilterForm(StyledForm):
    q = forms.CharField(label=_("Contract or enterprise"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(LoanStatus.choices), required=False
    )
