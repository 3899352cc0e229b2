"""Forms of the decision-model pages; bounds are enforced again in params.clean_params."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dfsp.core.forms import StyledForm
from dfsp.credit.antifraud import RULE_LABELS, RULE_THRESHOLDS
from dfsp.credit.states import GRADES, ModelKind

MAX_DATASET_BYTES = 20 * 1024 * 1024


class NoteForm(StyledForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ScoreLookupForm(StyledForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    purpose_type = forms.CharField(label=_("Purpose"), max_length=20, required=False)


class SelfAssessmentForm(StyledForm):
    confirmed = forms.BooleanField(
        label=_("I have read the text above and authorise this pre-assessment of my enterprise."),
        required=True,
        initial=False,
    )


class FitForm(StyledForm):
    SOURCES = [
        ("synthetic", _("Synthetic history (demonstration)")),
        ("upload", _("Upload a labelled dataset (CSV)")),
    ]
    source = forms.ChoiceField(label=_("Data"), choices=SOURCES, initial="synthetic")
    rows = forms.IntegerField(
        label=_("Synthetic rows"), min_value=500, max_value=200000, initial=4000, required=False
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=10**6, initial=7, required=False)
    dataset = forms.FileField(
        label=_("Labelled dataset"),
        required=False,
        help_text=_("CSV, UTF-8, one row per enterprise: feature columns and bad (0/1)."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("source") == "upload":
            upload = data.get("dataset")
            if upload is None:
                self.add_error("dataset", _("Choose a CSV file."))
            elif upload.size > MAX_DATASET_BYTES:
                self.add_error("dataset", _("The file is larger than 20 MB."))
        return data


def params_form(kind: str, params: dict, data=None) -> forms.Form:
    """The editable parameters of one version kind, pre-filled from params."""
    fields: dict[str, forms.Field] = {}
    initial: dict = {}
    if kind == ModelKind.SCORECARD:
        for item in params["grades"][:-1]:
            name = f"cutoff_{item['grade']}"
            fields[name] = forms.IntegerField(
                label=_("Minimum score for %(grade)s") % {"grade": item["grade"]},
                min_value=300,
                max_value=900,
            )
            initial[name] = item["min_score"]
    elif kind == ModelKind.ANTI_FRAUD:
        for code, rule in params["rules"].items():
            label = RULE_LABELS.get(code, code)
            fields[f"{code}__enabled"] = forms.BooleanField(
                label=_("%(rule)s: enabled") % {"rule": label}, required=False
            )
            initial[f"{code}__enabled"] = rule.get("enabled", True)
            fields[f"{code}__weight"] = forms.IntegerField(
                label=_("%(rule)s: weight") % {"rule": label}, min_value=0, max_value=100
            )
            initial[f"{code}__weight"] = rule["weight"]
            for key in RULE_THRESHOLDS.get(code, ()):
                fields[f"{code}__{key}"] = forms.DecimalField(label=f"{label}: {key}", min_value=0)
                initial[f"{code}__{key}"] = rule[key]
    else:
        for key in (
            "tax_burden",
            "revenue_share",
            "revenue_per_employee",
            "fraud_review_factor",
            "platform_cap",
        ):
            fields[key] = forms.DecimalField(label=key, min_value=0, required=key != "revenue_per_employee")
            initial[key] = params.get(key)
        for key in ("fraud_review_score", "fraud_block_score"):
            fields[key] = forms.IntegerField(label=key, min_value=0, max_value=100)
            initial[key] = params[key]
        for grade in GRADES:
            fields[f"multiplier_{grade}"] = forms.DecimalField(
                label=_("Multiplier for %(grade)s") % {"grade": grade}, min_value=0, max_value=3
            )
            initial[f"multiplier_{grade}"] = params["grade_multipliers"].get(grade, "0")
    form_class = type("ParamsForm", (StyledForm,), fields)
    return form_class(data=data, initial=initial)


def changes_from(kind: str, cleaned: dict, params: dict) -> dict:
    """Form values -> the ``changes`` shape of versions.update_params."""
    if kind == ModelKind.SCORECARD:
        return {"grade_cutoffs": [cleaned[f"cutoff_{g}"] for g in GRADES[:-1]]}
    if kind == ModelKind.ANTI_FRAUD:
        rules = {}
        for code in params["rules"]:
            edits = {"enabled": cleaned[f"{code}__enabled"], "weight": cleaned[f"{code}__weight"]}
            for key in RULE_THRESHOLDS.get(code, ()):
                edits[key] = cleaned[f"{code}__{key}"]
            rules[code] = edits
        return {"rules": rules}
    changes = {
        key: cleaned[key]
        for key in (
            "tax_burden",
            "revenue_share",
            "revenue_per_employee",
            "fraud_review_factor",
            "platform_cap",
            "fraud_review_score",
            "fraud_block_score",
        )
    }
    changes["grade_multipliers"] = {g: cleaned[f"multiplier_{g}"] for g in GRADES}
    return changes
