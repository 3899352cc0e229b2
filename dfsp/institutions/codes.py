"""Code sets of the product catalogue: product types, tags, repayment and guarantee methods,
credit grades and the credit-data categories a product needs authorised (a later issue turns
these into configurable consent scopes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductType(models.TextChoices):
    CREDIT_LOAN = "credit_loan", _("Credit loan")
    MORTGAGE = "mortgage", _("Mortgage loan")
    GUARANTEE_LOAN = "guarantee_loan", _("Guaranteed loan")
    PLEDGE = "pledge", _("Pledge loan")
    SUPPLY_CHAIN = "supply_chain", _("Supply-chain finance")
    IP_PLEDGE = "ip_pledge", _("IP pledge loan")
    INSURANCE = "insurance", _("Insurance")
    GUARANTEE_SERVICE = "guarantee_service", _("Financing guarantee")
    LEASING = "leasing", _("Financial leasing")
    OTHER = "other", _("Other")


class ProductTag(models.TextChoices):
    PURE_CREDIT = "pure_credit", _("Pure credit")
    ONLINE = "online", _("Online application")
    FIRST_LOAN = "first_loan", _("First loan")
    RENEWAL = "renewal", _("Renewal")
    FAST = "fast", _("Fast approval")
    AGRICULTURE = "agriculture", _("Agriculture")
    TECH = "tech", _("Technology enterprises")
    POLICY = "policy", _("Policy support")


class RepaymentMethod(models.TextChoices):
    EQUAL_INSTALMENT = "equal_instalment", _("Equal instalments")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal")
    INTEREST_FIRST = "interest_first", _("Interest first, principal at maturity")
    BULLET = "bullet", _("Principal and interest at maturity")


class GuaranteeMethod(models.TextChoices):
    CREDIT = "credit", _("Credit (no collateral)")
    GUARANTEE = "guarantee", _("Guarantee")
    MORTGAGE = "mortgage", _("Mortgage")
    PLEDGE = "pledge", _("Pledge")


CREDIT_GRADES = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"]
CREDIT_GRADE_CHOICES = [(grade, grade) for grade in CREDIT_GRADES]


class DataScope(models.TextChoices):
    REGISTRATION = "registration", _("Business registration")
    TAX = "tax", _("Tax")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    HOUSING_FUND = "housing_fund", _("Housing provident fund")
    UTILITIES = "utilities", _("Water, electricity and gas")
    REAL_ESTATE = "real_estate", _("Real estate")
    IP = "ip", _("Intellectual property")
    IMPORT_EXPORT = "import_export", _("Import and export")
    JUDICIAL = "judicial", _("Judicial records")
    LICENCES_PENALTIES = "licences_penalties", _("Licences and penalties")


# Buckets shown as facets of the numeric ranges (upper bounds exclusive; None = open).
AMOUNT_BUCKETS = [  # in 万元
    ("lt50", _("Under 0.5 million"), None, 50),
    ("50to200", _("0.5–2 million"), 50, 200),
    ("200to1000", _("2–10 million"), 200, 1000),
    ("ge1000", _("10 million and more"), 1000, None),
]
TERM_BUCKETS = [  # months
    ("le12", _("Up to 1 year"), None, 13),
    ("13to36", _("1–3 years"), 13, 37),
    ("gt36", _("Over 3 years"), 37, None),
]
RATE_BUCKETS = [  # annual % (product's lowest rate)
    ("lt4", _("Under 4%"), None, 4),
    ("4to6", _("4%–6%"), 4, 6),
    ("6to10", _("6%–10%"), 6, 10),
    ("ge10", _("10% and more"), 10, None),
]
