from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm
from dfsp.core.industries import industry_choices, scale_choices
from dfsp.core.regions import region_choices
from dfsp.financing.states import Guarantee, Urgency

ANY = [("", _("Any"))]


class DemandForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=18, decimal_places=2, min_value=0)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    acceptable_rate = forms.DecimalField(
        label=_("Highest acceptable annual rate (%)"), max_digits=5, decimal_places=2, min_value=0
    )
    guarantee = forms.ChoiceField(label=_("Guarantee offered"), choices=Guarantee.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_mobile = forms.CharField(label=_("Contact mobile"), max_length=11)


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(
        label=_("Reason (shown to the enterprise)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MarketFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region_code = forms.ChoiceField(label=_("Region"), choices=[], required=False)
    industry = forms.ChoiceField(label=_("Industry"), choices=[], required=False)
    scale = forms.ChoiceField(label=_("Scale"), choices=[], required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ANY + list(Urgency.choices), required=False)
    min_amount = forms.DecimalField(
        label=_("Minimum amount"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    max_amount = forms.DecimalField(
        label=_("Maximum amount"), required=False, min_value=0, max_digits=18, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = ANY + region_choices()
        self.fields["industry"].choices = ANY + industry_choices()
        self.fields["scale"].choices = ANY + scale_choices()


class ApplicationForm(StyledForm):
    """The apply form; the materials come from ``request.FILES`` (several files, sniffed in the service)."""

    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=18, decimal_places=2, min_value=0)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    # Never pre-ticked: the signer ticks it after reading the text shown above it.
    confirmed = forms.BooleanField(
        label=_("I have read the authorisation text above and agree to it"), required=False
    )
    number = forms.IntegerField(widget=forms.HiddenInput)
    text_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    demand_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    previous_id = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ApproveForm(StyledForm):
    amount = forms.DecimalField(label=_("Approved amount (yuan)"), max_digits=18, decimal_places=2)
    rate = forms.DecimalField(label=_("Annual rate (%)"), max_digits=6, decimal_places=2)
    term_months = forms.IntegerField(label=_("Term (months)"))
    conditions = forms.CharField(
        label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class RejectForm(StyledForm):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=())
    text = forms.CharField(
        label=_("Explanation (shown to the enterprise)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = [("", "—")] + [(r.code, r.label) for r in reasons]


class RejectionReasonForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    label = forms.CharField(label=_("Reason"), max_length=100)
    advice = forms.CharField(
        label=_("What the enterprise could do"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
