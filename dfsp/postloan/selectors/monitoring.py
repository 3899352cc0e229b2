"""Post-loan monitoring (FIN-P6): new risk signals of a borrower since disbursement.

Only under an ACTIVE post-loan grant (purpose ``post_loan``, id = the loan) signed by the borrower;
the data is read through the consent gate, which logs the call. Without a grant nothing is read and
the page offers to request one. Signals compare records dated after disbursement with the last
record before it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.consent import gate
from dfsp.consent import selectors as consent_selectors
from dfsp.core.errors import NotFound
from dfsp.postloan import parties
from dfsp.postloan.states import MONITORING_PURPOSE as PURPOSE
from dfsp.postloan.states import MONITORING_SCOPES

DROP_THRESHOLD = Decimal("0.2")  # a fall of 20% or more against the level at disbursement


@dataclass
class Signal:
    kind: str  # judicial | tax_arrears | utilities_drop | headcount_drop | blacklist
    label: str
    detail: str
    on: str  # date or period of the record


@dataclass
class Monitoring:
    loan: object
    grant: object | None = None
    request_pending: bool = False
    signals: list[Signal] = field(default_factory=list)
    refused: str = ""  # the gate's reason code when a read was refused
    since: date | None = None


def _loan_for_monitoring(actor, loan_id):
    loan = parties.find_loan(actor, loan_id)
    if loan is None:
        raise NotFound()
    if actor.has_any_role(parties.SUPERVISORS) or parties.side_of(actor, loan) == parties.INSTITUTION:
        return loan
    raise NotFound()


def active_grant(actor, loan):
    grants = consent_selectors.grants_for(actor).filter(
        institution_id=loan.institution_id, uscc=loan.uscc, purpose_type=PURPOSE, purpose_id=str(loan.pk)
    )
    now = timezone.now()
    return next(
        (grant for grant in grants.order_by("-signed_at") if consent_selectors.is_usable(grant, now)), None
    )


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _record_date(record) -> str:
    if record.get("event_date"):
        return str(record["event_date"])[:10]
    return str(record.get("period") or "")


def _after(record, since: date) -> bool:
    when = _record_date(record)
    if not when:
        return False
    return when > since.isoformat() if len(when) == 10 else when > since.strftime("%Y-%m")


def _drop(records, element, since, *, group=None) -> list[tuple[str, Decimal, Decimal, str]]:
    """Per group: (group, baseline at disbursement, latest after it, period) when it fell enough."""
    series: dict[str, list] = {}
    for record in records:
        value = _number(record["values"].get(element))
        if value is None:
            continue
        series.setdefault(str(record["values"].get(group, "")) if group else "", []).append(
            (_record_date(record), value, _after(record, since))
        )
    found = []
    for name, points in series.items():
        points.sort(key=lambda point: point[0])
        before = [value for _when, value, after in points if not after]
        after = [(when, value) for when, value, is_after in points if is_after]
        if not before or not after or before[-1] <= 0:
            continue
        baseline, (when, latest) = before[-1], after[-1]
        if (baseline - latest) / baseline >= DROP_THRESHOLD:
            found.append((name, baseline, latest, when))
    return found


def signals_from(sections, since: date) -> list[Signal]:
    """The new risk signals in the gated profile sections (pure: tested with plain records)."""
    by_category: dict[str, list] = {}
    for section in sections:
        by_category.setdefault(section.category, []).extend(section.records)
    signals = []
    for record in by_category.get("judicial", []):
        if _after(record, since):
            values = record["values"]
            signals.append(Signal("judicial", _("New court case"),
                                  " · ".join(str(values.get(k, "")) for k in ("case_no", "case_cause", "case_role")
                                             if values.get(k)), _record_date(record)))  # fmt: skip
    for record in by_category.get("tax", []):
        arrears = _number(record["values"].get("tax_arrears"))
        if _after(record, since) and arrears and arrears > 0:
            signals.append(Signal("tax_arrears", _("Tax arrears"), _("%(amount)s yuan owed") % {"amount": arrears},
                                  _record_date(record)))  # fmt: skip
    for name, baseline, latest, when in _drop(by_category.get("utilities", []), "consumption", since,
                                               group="utility_type"):  # fmt: skip
        signals.append(Signal("utilities_drop", _("Utilities consumption dropped"),
                              f"{name}: {baseline} → {latest}", when))  # fmt: skip
    for _name, baseline, latest, when in _drop(
        by_category.get("social_insurance", []), "insured_count", since
    ):
        signals.append(Signal("headcount_drop", _("Headcount dropped"),
                              _("Insured employees %(before)s → %(after)s") % {"before": baseline, "after": latest},
                              when))  # fmt: skip
    for record in by_category.get("watchlist", []):
        if _after(record, since):
            values = record["values"]
            signals.append(Signal("blacklist", _("Put on a list"),
                                  " · ".join(str(values.get(k, "")) for k in ("list_kind", "list_reason", "issuer")
                                             if values.get(k)), _record_date(record)))  # fmt: skip
    return sorted(signals, key=lambda signal: signal.on, reverse=True)


def monitoring_for(actor, loan_id, *, read: bool = True) -> Monitoring:
    """The lending institution (or a supervisor) sees signals only under an active post-loan grant."""
    loan = _loan_for_monitoring(actor, loan_id)
    since = timezone.localtime(loan.disbursed_at).date()
    result = Monitoring(loan=loan, since=since)
    result.grant = active_grant(actor, loan)
    if result.grant is None:
        result.request_pending = (
            consent_selectors.pending_requests_for(actor)
            .filter(uscc=loan.uscc, purpose_type=PURPOSE, purpose_id=str(loan.pk))
            .exists()
        )
        return result
    if not read:
        return result
    scopes = [code for code in MONITORING_SCOPES if code in result.grant.scope_codes]
    if not scopes:
        return result
    try:
        profile = gate.read_credit_profile(
            actor=actor,
            uscc=loan.uscc,
            elements_or_scopes=scopes,
            purpose_type=PURPOSE,
            purpose_id=str(loan.pk),
        )
    except gate.GateRefused as refused:
        result.refused = refused.code
        return result
    result.signals = signals_from(profile.sections, since)
    return result
