"""Kinds of decision models and the life of a model version."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelKind(models.TextChoices):
    SCORECARD = "scorecard", _("Credit scorecard")
    ANTI_FRAUD = "anti_fraud", _("Anti-fraud rules")
    LIMIT = "limit", _("Credit limit")


class VersionMethod(models.TextChoices):
    EXPERT = "expert", _("Expert (hand-set)")
    FITTED = "fitted", _("Fitted (WOE + logistic regression)")
    DERIVED = "derived", _("Institution parameters (derived)")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # editable; never scores; fitted candidates wait here with their validation
    ACTIVE = "active", _("Active")  # the one version of its model and owner that scores
    RETIRED = "retired", _("Retired")  # kept for explanation and recompute of its scores; may be re-activated


ALLOWED_TRANSITIONS = {
    VersionStatus.DRAFT: {VersionStatus.ACTIVE, VersionStatus.RETIRED},
    VersionStatus.ACTIVE: {VersionStatus.RETIRED},
    VersionStatus.RETIRED: {VersionStatus.ACTIVE},
}

GRADES = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"]
