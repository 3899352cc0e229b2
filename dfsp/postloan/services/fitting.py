"""Fitting the credit scorecard from the platform's own loan outcomes (issue #6 part 3).

Credit owns the fitting (WOE binning + logistic regression, validation, the draft candidate and its
activation); credit sits below loans, so the labelled history is assembled here, above both.

**Labelled history.** One row per loan whose outcome can be observed:

* the features are the inputs the platform's scorecard stored for the loan's application (the
  latest scorecard ``Score`` for purpose ``application``/application id made before disbursement,
  else the latest one) — loans whose application was never scored are left out;
* ``bad = 1`` when any instalment of the loan (current or superseded schedule) ever reached
  ``BAD_DAYS_PAST_DUE`` (30) days past due, else 0;
* a loan is observable when it is settled, already bad, or was disbursed at least
  ``OBSERVATION_MONTHS`` (6) months before ``as_of`` — younger good loans are not yet known to be good.

``observed_at`` (YYYY-MM of disbursement) lets credit keep the latest fifth out of time for the
PSI when the history is ample enough that the rest still meets the minimum.
"""

import calendar
from datetime import date

import polars as pl
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.credit import selectors as credit_selectors
from dfsp.credit.fitting import CANDIDATES, CATEGORICAL, min_samples
from dfsp.credit.versions import fit_candidate
from dfsp.loans import selectors as loan_selectors

APPLICATION_PURPOSE = "application"
SCORECARD = "scorecard"
SETTLED = "settled"  # loans.states.LoanStatus.SETTLED (final)
BAD_DAYS_PAST_DUE = 30
OBSERVATION_MONTHS = 6
NOT_ENOUGH_HISTORY = "credit_not_enough_history"


def ensure_operator(actor) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not actor.has_any_role({Role.OPERATOR})
    ):
        raise AccessDenied()


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _features_by_application(actor, application_ids: list[str]) -> dict[str, dict]:
    """Scorecard inputs per application id, newest first (the caller picks the one before disbursement)."""
    rows = (
        credit_selectors.scores_for(actor=actor, purpose_type=APPLICATION_PURPOSE)
        .filter(kind=SCORECARD, purpose_id__in=application_ids)
        .order_by("-created_at", "-pk")
        .values_list("purpose_id", "created_at", "inputs")
    )
    found: dict[str, list] = {}
    for purpose_id, created_at, inputs in rows:
        found.setdefault(purpose_id, []).append((created_at, inputs))
    return found


def _pick(scored: list, disbursed_at) -> dict:
    before = [inputs for created_at, inputs in scored if created_at <= disbursed_at]
    return before[0] if before else scored[0][1]


def _number(value):
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def _empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=_schema())


def _schema() -> dict:
    schema = {"loan_id": pl.Int64, "uscc": pl.String}
    schema.update({code: (pl.String if code in CATEGORICAL else pl.Float64) for code in CANDIDATES})
    schema.update({"observed_at": pl.String, "bad": pl.Int64})
    return schema


def _collect(*, actor, as_of: date | None):
    ensure_operator(actor)
    as_of = as_of or timezone.localdate()
    cutoff = _months_before(as_of, OBSERVATION_MONTHS)
    loans = list(
        loan_selectors.loans_for(actor=actor)
        .annotate(worst_ever=Max("instalments__max_days_past_due"))
        .only("pk", "application_id", "uscc", "status", "disbursed_at", "start_date", "days_past_due")
        .order_by("pk")
    )
    counts = {"loans": len(loans), "observable": 0, "unscored": 0, "labelled": 0, "bad": 0, "good": 0}
    rows = []
    scores = _features_by_application(actor, [str(loan.application_id) for loan in loans])
    for loan in loans:
        worst = max(loan.worst_ever or 0, loan.days_past_due or 0)
        bad = worst >= BAD_DAYS_PAST_DUE
        disbursed_on = timezone.localtime(loan.disbursed_at).date()
        if not (bad or loan.status == SETTLED or disbursed_on <= cutoff):
            continue
        counts["observable"] += 1
        scored = scores.get(str(loan.application_id))
        if not scored:
            counts["unscored"] += 1
            continue
        inputs = _pick(scored, loan.disbursed_at)
        row = {"loan_id": loan.pk, "uscc": loan.uscc}
        for code in CANDIDATES:
            value = inputs.get(code)
            row[code] = (
                (str(value) if value not in (None, "") else None) if code in CATEGORICAL else _number(value)
            )
        row["observed_at"] = f"{loan.start_date:%Y-%m}"
        row["bad"] = int(bad)
        rows.append(row)
        counts["labelled"] += 1
        counts["bad" if bad else "good"] += 1
    frame = pl.DataFrame(rows, schema=_schema()) if rows else _empty_frame()
    counts["needed"] = min_samples()
    counts["as_of"] = as_of
    counts["observable_since"] = cutoff
    return frame, counts


def labelled_history(*, actor, as_of: date | None = None) -> pl.DataFrame:
    """Columns: loan_id, uscc, the scorecard's candidate features (``credit.fitting.CANDIDATES``),
    observed_at (YYYY-MM), bad (0/1). Operators only (the read spans every institution's loans)."""
    return _collect(actor=actor, as_of=as_of)[0]


def history_summary(*, actor, as_of: date | None = None) -> dict:
    """Counts for the page: loans, observable, unscored, labelled, bad, good, needed."""
    return _collect(actor=actor, as_of=as_of)[1]


def _not_enough(counts: dict) -> ValidationFailed:
    return ValidationFailed(
        _(
            "Not enough labelled loan history to fit a scorecard: %(labelled)s labelled loans "
            "(%(bad)s bad, %(good)s good), at least %(needed)s are needed, with both good and bad loans."
        )
        % {k: counts[k] for k in ("labelled", "bad", "good", "needed")},
        code=NOT_ENOUGH_HISTORY,
    )


def fit_scorecard_from_history(*, actor, as_of: date | None = None):
    """Fit a candidate scorecard (credit draft with validation figures) from labelled loans.
    Operators only; too little history → 400 ``credit_not_enough_history``, nothing created."""
    frame, counts = _collect(actor=actor, as_of=as_of)
    if counts["labelled"] < counts["needed"] or not counts["bad"] or not counts["good"]:
        raise _not_enough(counts)
    if len(frame) - len(frame) // 5 < counts["needed"]:
        # too short to also hold out the latest fifth out of time: the hold-out doubles as "recent"
        frame = frame.drop("observed_at")
    note = f"platform history: {counts['labelled']} loans, {counts['bad']} bad"
    try:
        version = fit_candidate(actor=actor, data=frame, note=note)
    except ValidationFailed as exc:
        if exc.code == "credit_insufficient_history":  # credit also needs ≥ 20 of each class
            raise _not_enough(counts) from None
        raise
    record_event(
        event_type="postloan.scorecard.fitted",
        actor=actor,
        object_type="credit.model_version",
        object_id=str(version.pk),
        details={k: counts[k] for k in ("loans", "observable", "labelled", "bad", "good", "needed")},
    )
    return version
