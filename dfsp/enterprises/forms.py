from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.accounts.roles import Role
from dfsp.core.forms import StyledForm
from dfsp.core.industries import industry_choices, scale_choices
from dfsp.core.regions import region_choices
from dfsp.enterprises.states import BlacklistKind

BLANK = [("", "—")]


class RegistrationForm(StyledForm):
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=60)
    region_code = forms.ChoiceField(label=_("Region"), choices=[])
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754)"), choices=[])
    scale = forms.ChoiceField(label=_("Enterprise scale"), choices=[])
    full_name = forms.CharField(label=_("Your full name"), max_length=60)
    username = forms.CharField(label=_("Username"), max_length=150)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11)
    sms_code = forms.CharField(label=_("SMS code"), max_length=6, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    challenge = forms.CharField(label=_("Answer"), max_length=5, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = BLANK + region_choices()
        self.fields["industry"].choices = BLANK + industry_choices()
        self.fields["scale"].choices = BLANK + scale_choices()
        self.fields["mobile"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "tel"})
        self.fields["sms_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class SendCodeForm(StyledForm):
    mobile = forms.CharField(max_length=11)
    challenge = forms.CharField(max_length=5, required=False)


class CertificationForm(StyledForm):
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=60)
    address = forms.CharField(label=_("Registered address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_mobile = forms.CharField(label=_("Contact mobile"), max_length=11)
    submitted_by_agent = forms.BooleanField(
        label=_("I am an authorised agent, not the legal representative"), required=False
    )
    agent_name = forms.CharField(label=_("Agent name"), max_length=60, required=False)
    business_licence = forms.FileField(
        label=_("Business licence"), required=False, help_text=_("PDF, JPG or PNG, at most 10 MB.")
    )
    authorisation_letter = forms.FileField(
        label=_("Authorisation letter"), required=False, help_text=_("Needed when an agent submits.")
    )


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        choices=[
            ("approve", "approve"),
            ("reject", "reject"),
            ("return", "return"),
            ("terminate", "terminate"),
        ]
    )
    reason = forms.CharField(
        label=_("Reason (shown to the enterprise)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class BlacklistEntryForm(StyledForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("List"), choices=BlacklistKind.choices)
    source = forms.CharField(label=_("Source"), max_length=100)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=100)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BlacklistImportForm(StyledForm):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: 统一社会信用代码, 名称, 名单类型, 来源, 原因, 发布机关, 开始日期, 结束日期 (UTF-8 or GBK)."
        ),
    )


class MemberForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=60)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.ENTERPRISE_USER.value, Role.ENTERPRISE_USER.label),
            (Role.ENTERPRISE_ADMIN.value, Role.ENTERPRISE_ADMIN.label),
        ],
    )


class ProfileForm(StyledForm):
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754)"), choices=industry_choices())
    scale = forms.ChoiceField(label=_("Enterprise scale"), choices=scale_choices())
    address = forms.CharField(label=_("Registered address"), max_length=200, required=False)
