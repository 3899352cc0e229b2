from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm
from dfsp.core.industries import industry_choices
from dfsp.core.regions import region_choices
from dfsp.portal.models import PolicyType


class PolicyFilterForm(StyledForm):
    authority = forms.CharField(label=_("Issuing authority"), required=False, max_length=60)
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    policy_type = forms.ChoiceField(label=_("Type"), required=False)
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["region"].choices = blank + list(region_choices())
        self.fields["industry"].choices = blank + industry_choices()
        self.fields["policy_type"].choices = blank + list(PolicyType.choices)


class QuestionForm(StyledForm):
    title = forms.CharField(label=_("Question"), max_length=120)
    body = forms.CharField(label=_("Details"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    institution = forms.TypedChoiceField(
        label=_("Addressed to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", _("The platform"))] + [
            (o.pk, o.name) for o in institutions
        ]


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
