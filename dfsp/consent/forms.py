from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.consent.states import PurposeType
from dfsp.core.forms import StyledForm

PURPOSE_CHOICES = [("", "—"), *PurposeType.choices]


def _scope_field(choices):
    # No initial value: the enterprise ticks each scope itself (no pre-ticked boxes).
    return forms.MultipleChoiceField(
        label=_("Data scopes"),
        choices=choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class GrantForm(StyledForm):
    institution = forms.TypedChoiceField(label=_("Financial institution"), coerce=int)
    scope_codes = _scope_field([])
    purpose_type = forms.ChoiceField(label=_("Purpose"), choices=PURPOSE_CHOICES)
    purpose_id = forms.CharField(
        label=_("Purpose reference (application, demand or product number)"), max_length=64
    )
    valid_until = forms.DateField(
        label=_("Valid until (empty: one year, ends with the purpose)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    query_limit = forms.IntegerField(
        label=_("Query limit (empty: unlimited)"), required=False, min_value=1, max_value=100000
    )

    def __init__(self, *args, institutions=(), scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—"), *institutions]
        self.fields["scope_codes"].choices = list(scopes)


class SignForm(StyledForm):
    text_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirmed = forms.BooleanField(label=_("I have read the text above and authorise exactly this use."))


class AcceptForm(StyledForm):
    scope_codes = _scope_field([])
    text_hash = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    confirmed = forms.BooleanField(
        label=_("I have read the text above and authorise exactly this use."), required=False
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_codes"].choices = list(scopes)


class DeclineForm(StyledForm):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class RequestForm(StyledForm):
    uscc = forms.CharField(
        label=_("Unified social credit code of the enterprise"), min_length=18, max_length=18
    )
    scope_codes = _scope_field([])
    purpose_type = forms.ChoiceField(label=_("Purpose"), choices=PURPOSE_CHOICES)
    purpose_id = forms.CharField(
        label=_("Purpose reference (application, demand or product number)"), max_length=64
    )
    reason = forms.CharField(
        label=_("Why you need the data"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    query_limit = forms.IntegerField(
        label=_("Query limit (empty: unlimited)"), required=False, min_value=1, max_value=100000
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_codes"].choices = list(scopes)


class ScopeForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Data categories"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    elements = forms.CharField(
        label=_("Data elements (comma-separated codes; empty: all of the categories)"),
        required=False,
        max_length=1000,
    )
    months_back = forms.IntegerField(
        label=_("Query range in months (0 = unlimited)"), min_value=0, max_value=600
    )
    sensitivity = forms.IntegerField(label=_("Sensitivity (1–5)"), min_value=1, max_value=5)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, categories=(), element_codes=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = list(categories)
        self.element_codes = element_codes

    def clean_elements(self):
        codes = [c.strip() for c in self.cleaned_data["elements"].split(",") if c.strip()]
        unknown = [c for c in codes if c not in self.element_codes]
        if unknown:
            raise forms.ValidationError(_("Unknown data elements: %(codes)s") % {"codes": ", ".join(unknown)})
        return codes


class TemplateForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Placeholders: {enterprise} {institution} {scopes} {purpose} {valid_until} {query_limit}"
        ),
    )


class LogFilterForm(StyledForm):
    uscc = forms.CharField(label=_("Enterprise code"), required=False, max_length=18)
    reader = forms.CharField(label=_("Reader"), required=False, max_length=60)
    allowed = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", "—"), ("1", _("Allowed")), ("0", _("Denied"))]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
