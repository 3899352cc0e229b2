"""Forms of the post-loan pages; services validate again (the API uses the same services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm
from dfsp.postloan.states import OPEN_COLLECTION_STATES, CollectionStatus, DeferralKind

DATE = forms.DateInput(attrs={"type": "date"})
STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class RatingForm(StyledForm):
    stars = forms.TypedChoiceField(
        label=_("Stars"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    tags = forms.MultipleChoiceField(
        label=_("Tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, tag_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = tag_choices


class DeferralForm(StyledForm):
    kind = forms.ChoiceField(label=_("What to defer"), choices=DeferralKind.choices)
    proposed_maturity_date = forms.DateField(label=_("Proposed new maturity date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RenewalForm(StyledForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=1, max_digits=18, decimal_places=2)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    confirmed = forms.BooleanField(
        label=_("I have read and agree to the data authorisation above."), required=False
    )
    number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    shown_text_hash = forms.CharField(widget=forms.HiddenInput, required=False)


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OverdueReportForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Collection status"), choices=[(s, CollectionStatus(s).label) for s in OPEN_COLLECTION_STATES]
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    blacklist_reason = forms.CharField(
        label=_("Propose a blacklist entry (reason)"),
        required=False,
        max_length=2000,
        help_text=_(
            "Leave empty not to propose one. A proposal takes effect only after an operator approves it."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OverdueUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Collection status"), choices=CollectionStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposalForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for listing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatisticsForm(StyledForm):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data
