from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.accounts.roles import InstitutionSubtype
from dfsp.core.forms import StyledForm
from dfsp.core.industries import industry_choices, scale_choices
from dfsp.core.regions import region_choices
from dfsp.institutions.codes import (
    CREDIT_GRADE_CHOICES,
    DataScope,
    GuaranteeMethod,
    ProductTag,
    ProductType,
    RepaymentMethod,
)
from dfsp.institutions.content import LABELS
from dfsp.institutions.models import InstitutionType
from dfsp.institutions.selectors import MarketFilters

SORT_CHOICES = [
    ("recommended", _("Recommended")),
    ("newest", _("Newest")),
    ("rate", _("Lowest rate")),
    ("applied", _("Most applied")),
    ("rated", _("Best rated")),
]


def _multi(choices, label):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class MarketFilterForm(StyledForm):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=50)
    product_type = _multi(ProductType.choices, _("Product type"))
    tag = _multi(ProductTag.choices, _("Tags"))
    institution = forms.TypedMultipleChoiceField(
        label=_("Institution"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    institution_type = _multi(InstitutionSubtype.choices, _("Institution type"))
    guarantee = _multi(GuaranteeMethod.choices, _("Guarantee method"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    amount = forms.DecimalField(
        label=_("Amount wanted (10k yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    term = forms.IntegerField(label=_("Term wanted (months)"), required=False, min_value=1, max_value=1200)
    rate_max = forms.DecimalField(
        label=_("Highest acceptable rate (%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = list(institutions)
        self.fields["region"].choices = [("", _("All regions")), *region_choices()]
        self.fields["industry"].choices = [("", _("All industries")), *industry_choices()]

    def filters(self) -> MarketFilters:
        """The valid filters; invalid fields are dropped (their messages are shown)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return MarketFilters(
            q=(data.get("q") or "").strip(),
            product_type=data.get("product_type") or [],
            tag=data.get("tag") or [],
            institution=data.get("institution") or [],
            institution_type=data.get("institution_type") or [],
            guarantee=data.get("guarantee") or [],
            region=data.get("region") or "",
            industry=data.get("industry") or "",
            amount=data.get("amount"),
            term=data.get("term"),
            rate_max=data.get("rate_max"),
            sort=data.get("sort") or "recommended",
        )


class ProductForm(StyledForm):
    name = forms.CharField(label=LABELS["name"], max_length=100)
    product_type = forms.ChoiceField(label=LABELS["product_type"], choices=ProductType.choices)
    amount_min = forms.DecimalField(label=LABELS["amount_min"], min_value=0, max_digits=16, decimal_places=2)
    amount_max = forms.DecimalField(label=LABELS["amount_max"], min_value=0, max_digits=16, decimal_places=2)
    term_min = forms.IntegerField(label=LABELS["term_min"], min_value=1, max_value=1200)
    term_max = forms.IntegerField(label=LABELS["term_max"], min_value=1, max_value=1200)
    rate_min = forms.DecimalField(label=LABELS["rate_min"], min_value=0, max_value=100, decimal_places=2)
    rate_max = forms.DecimalField(label=LABELS["rate_max"], min_value=0, max_value=100, decimal_places=2)
    repayment_methods = _multi(RepaymentMethod.choices, LABELS["repayment_methods"])
    guarantee_methods = _multi(GuaranteeMethod.choices, LABELS["guarantee_methods"])
    tags = _multi(ProductTag.choices, LABELS["tags"])
    target_regions = forms.MultipleChoiceField(
        label=LABELS["target_regions"], choices=region_choices, required=False
    )
    industries = _multi(industry_choices(), LABELS["industries"])
    scales = _multi(scale_choices(), LABELS["scales"])
    min_years = forms.IntegerField(label=LABELS["min_years"], min_value=0, max_value=100, required=False)
    min_credit_grade = forms.ChoiceField(
        label=LABELS["min_credit_grade"], choices=[("", "—"), *CREDIT_GRADE_CHOICES], required=False
    )
    data_scopes = _multi(DataScope.choices, LABELS["data_scopes"])
    materials = forms.CharField(
        label=LABELS["materials"], widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("One material per line."),
    )  # fmt: skip
    response_days = forms.IntegerField(label=LABELS["response_days"], min_value=1, max_value=60)
    description = forms.CharField(
        label=LABELS["description"], widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    contact_name = forms.CharField(label=LABELS["contact_name"], max_length=60)
    contact_phone = forms.CharField(label=LABELS["contact_phone"], max_length=30)

    def content(self) -> dict:
        data = dict(self.cleaned_data)
        data["materials"] = [
            line.strip() for line in (data.get("materials") or "").splitlines() if line.strip()
        ]
        if data.get("min_years") is None:
            data["min_years"] = 0
        return data

    @staticmethod
    def initial_from(content: dict) -> dict:
        initial = dict(content)
        initial["materials"] = "\n".join(content.get("materials") or [])
        return initial


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class OnboardForm(StyledForm):
    name = forms.CharField(label=_("Institution name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    institution_type = forms.ChoiceField(label=_("Institution type"), choices=InstitutionType.choices)
    institution_subtype = forms.ChoiceField(label=_("Subtype"), choices=InstitutionSubtype.choices)
    licence_number = forms.CharField(label=_("Financial licence number"), max_length=40, required=False)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    region_code = forms.ChoiceField(label=_("Region"), choices=region_choices)
    is_branch = forms.BooleanField(label=_("This is a branch"), required=False)
    parent_id = forms.TypedChoiceField(
        label=_("Parent institution"), coerce=int, required=False, empty_value=None
    )
    parent_name = forms.CharField(
        label=_("Parent institution (outside the platform)"), max_length=200, required=False
    )
    service_regions = forms.MultipleChoiceField(label=_("Service regions"), choices=region_choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    admin_username = forms.CharField(label=_("Administrator username"), max_length=150)
    admin_full_name = forms.CharField(label=_("Administrator name"), max_length=60)
    admin_mobile = forms.CharField(label=_("Administrator mobile"), max_length=11, required=False)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_id"].choices = [("", "—"), *parents]


class BranchForm(StyledForm):
    name = forms.CharField(label=_("Branch name"), max_length=120)
    region_code = forms.ChoiceField(label=_("Region"), choices=region_choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class OfficerForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, required=False)
    branch_id = forms.TypedChoiceField(label=_("Branch"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch_id"].choices = [("", "—"), *branches]


class WeightsForm(StyledForm):
    weight_rate = forms.DecimalField(
        label=_("Rate attractiveness"), min_value=0, max_value=100, decimal_places=2
    )
    weight_response = forms.DecimalField(
        label=_("Response time"), min_value=0, max_value=100, decimal_places=2
    )
    weight_recency = forms.DecimalField(label=_("Recency"), min_value=0, max_value=100, decimal_places=2)
    weight_applications = forms.DecimalField(
        label=_("Applications"), min_value=0, max_value=100, decimal_places=2
    )
    weight_rating = forms.DecimalField(label=_("Rating"), min_value=0, max_value=100, decimal_places=2)
    weight_completeness = forms.DecimalField(
        label=_("Completeness"), min_value=0, max_value=100, decimal_places=2
    )

    def weights(self) -> dict:
        return {name.removeprefix("weight_"): value for name, value in self.cleaned_data.items()}
