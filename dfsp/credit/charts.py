"""ECharts options (passed with json_script; the platform's dfsp.js renders [data-chart]) and the
readable view of a version's parameters."""

from django.utils.translation import gettext as _

from dfsp.credit.antifraud import RULE_LABELS
from dfsp.credit.features import CATALOGUE
from dfsp.credit.limits import STEP_LABELS
from dfsp.credit.scorecard import _bin_label
from dfsp.credit.states import ModelKind


def distribution(validation: dict) -> dict:
    data = validation.get("distribution") or {}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Development"), _("Hold-out")]},
        "xAxis": {"type": "category", "data": [str(e) for e in data.get("edges", [])], "name": _("Score")},
        "yAxis": {"type": "value", "name": _("Enterprises")},
        "series": [
            {"name": _("Development"), "type": "bar", "data": data.get("development", [])},
            {"name": _("Hold-out"), "type": "bar", "data": data.get("holdout", [])},
        ],
    }


def calibration(validation: dict) -> dict:
    rows = validation.get("by_grade") or []
    compared = validation.get("compared")
    series = [
        {"name": _("Enterprises"), "type": "bar", "data": [r["count"] for r in rows]},
        {"name": _("Default rate (%)"), "type": "line", "yAxisIndex": 1, "data": _rates(rows)},
    ]
    if compared:
        series.append(
            {
                "name": _("Active version: default rate (%)"),
                "type": "line",
                "yAxisIndex": 1,
                "lineStyle": {"type": "dashed"},
                "data": _rates(compared.get("by_grade") or []),
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series]},
        "xAxis": {"type": "category", "data": [r["grade"] for r in rows]},
        "yAxis": [{"type": "value", "name": _("Enterprises")}, {"type": "value", "name": "%"}],
        "series": series,
    }


def _rates(rows: list) -> list:
    return [round(r["default_rate"] * 100, 2) if r["default_rate"] is not None else None for r in rows]


def reasons(assessment) -> dict:
    items = list(reversed(assessment.reasons))
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 200},
        "xAxis": {"type": "value", "name": _("Points")},
        "yAxis": {"type": "category", "data": [r["label"] for r in items]},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": r["points"],
                        "itemStyle": {"color": "#198754" if r["points"] >= 0 else "#dc3545"},
                    }
                    for r in items
                ],
            }
        ],
    }


def params_view(version) -> dict:
    """Rows to display the parameters of a version, by kind."""
    params = version.params
    kind = version.model.kind
    if kind == ModelKind.SCORECARD:
        features = []
        for feature in params.get("features", []):
            info = CATALOGUE.get(feature["code"])
            if feature.get("kind") == "category":
                bins = [("/".join(map(str, b["values"])), b["points"]) for b in feature["bins"]]
            else:
                bins = [(_bin_label(feature["bins"], i), b["points"]) for i, b in enumerate(feature["bins"])]
            bins.append((_("missing"), feature.get("missing_points", 0)))
            features.append(
                {
                    "code": feature["code"],
                    "label": str(info.label) if info else feature["code"],
                    "bins": bins,
                    "iv": feature.get("iv"),
                }
            )
        return {
            "kind": kind,
            "base": params.get("base"),
            "features": features,
            "grades": params.get("grades", []),
        }
    if kind == ModelKind.ANTI_FRAUD:
        rules = [
            {
                "code": code,
                "label": str(RULE_LABELS.get(code, code)),
                "enabled": rule.get("enabled", True),
                "weight": rule["weight"],
                "thresholds": {k: v for k, v in rule.items() if k not in {"enabled", "weight"}},
            }
            for code, rule in params.get("rules", {}).items()
        ]
        return {"kind": kind, "rules": rules, "cap": params.get("cap", 100)}
    return {
        "kind": kind,
        "values": [(k, v) for k, v in params.items() if k != "grade_multipliers"],
        "multipliers": list(params.get("grade_multipliers", {}).items()),
        "steps": [str(label) for label in STEP_LABELS.values()],
    }
