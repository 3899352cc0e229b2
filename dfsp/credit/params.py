"""What may be edited in a version's parameters, and the bounds (a bad value: 400
``credit_bad_params`` naming the field; nothing is saved)."""

import copy
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dfsp.core.errors import ValidationFailed
from dfsp.credit.antifraud import RULE_THRESHOLDS
from dfsp.credit.scorecard import validate_grades
from dfsp.credit.states import GRADES, ModelKind

THRESHOLD_BOUNDS = {
    "max_years": (0, 10),
    "min_amount": (0, 1_000_000_000),
    "min_enterprises": (1, 100),
    "min_applications": (1, 100),
    "window_days": (1, 365),
    "min_drop_ratio": (0.05, 1),
    "min_previous": (1, 100_000),
}
LIMIT_BOUNDS = {
    "tax_burden": (Decimal("0.005"), Decimal("0.5")),
    "revenue_share": (Decimal("0.01"), Decimal("1")),
    "fraud_review_factor": (Decimal("0"), Decimal("1")),
    "platform_cap": (Decimal("0"), Decimal("1000000000")),
    "revenue_per_employee": (Decimal("0"), Decimal("10000000")),
}
MULTIPLIER_BOUNDS = (Decimal("0"), Decimal("3"))


def _bad(field: str, detail: str):
    message = _("Invalid parameter %(detail)s.") % {"detail": detail}
    return ValidationFailed(message, code="credit_bad_params", field_errors={field: message})


def _number(field: str, value, low, high, *, integer: bool = False):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _bad(field, f"{field}: not a number") from None
    if not (Decimal(str(low)) <= number <= Decimal(str(high))) or (
        integer and number != number.to_integral()
    ):
        raise _bad(field, f"{field}: {low}–{high}")
    return int(number) if integer else number


def clean_params(kind: str, current: dict, changes: dict) -> dict:
    params = copy.deepcopy(current)
    if kind == ModelKind.SCORECARD:
        if set(changes) - {"grade_cutoffs"}:
            raise _bad("params", "only grade_cutoffs may be edited")
        cutoffs = [
            _number("grade_cutoffs", v, 300, 900, integer=True) for v in changes.get("grade_cutoffs", [])
        ]
        if len(cutoffs) != len(GRADES) - 1:
            raise _bad("grade_cutoffs", f"{len(GRADES) - 1} cut-offs (AAA … CC)")
        params["grades"] = validate_grades(
            [
                {"grade": g, "min_score": cutoffs[i] if i < len(cutoffs) else None}
                for i, g in enumerate(GRADES)
            ]
        )
        return params
    if kind == ModelKind.ANTI_FRAUD:
        if set(changes) - {"rules"}:
            raise _bad("params", "only rules may be edited")
        for code, edits in changes["rules"].items():
            if code not in params["rules"]:
                raise _bad("rules", f"unknown rule {code}")
            rule = params["rules"][code]
            for key, value in edits.items():
                if key == "enabled":
                    rule["enabled"] = bool(value)
                elif key == "weight":
                    rule["weight"] = _number(f"{code}.weight", value, 0, 100, integer=True)
                elif key in RULE_THRESHOLDS[code]:
                    low, high = THRESHOLD_BOUNDS[key]
                    number = _number(f"{code}.{key}", value, low, high)
                    rule[key] = (
                        int(number)
                        if number == number.to_integral() and key != "min_drop_ratio"
                        else float(number)
                    )
                else:
                    raise _bad("rules", f"{code}.{key} is not editable")
        return params
    allowed = {"grade_multipliers", "fraud_review_score", "fraud_block_score", *LIMIT_BOUNDS}
    if set(changes) - allowed:
        raise _bad("params", "unknown limit parameter")
    for key, (low, high) in LIMIT_BOUNDS.items():
        if key in changes and changes[key] is None and key == "revenue_per_employee":
            params.pop(key, None)  # no headcount fallback
        elif key in changes:
            params[key] = str(_number(key, changes[key], low, high))
    for key in ("fraud_review_score", "fraud_block_score"):
        if key in changes:
            params[key] = _number(key, changes[key], 0, 100, integer=True)
    if int(params["fraud_block_score"]) < int(params["fraud_review_score"]):
        raise _bad("fraud_block_score", "fraud_block_score must be at least fraud_review_score")
    for grade, value in (changes.get("grade_multipliers") or {}).items():
        if grade not in GRADES:
            raise _bad("grade_multipliers", f"unknown grade {grade}")
        params["grade_multipliers"][grade] = str(_number(f"multiplier.{grade}", value, *MULTIPLIER_BOUNDS))
    return params
