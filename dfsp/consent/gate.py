"""The one access gate for every read of enterprise credit data (AUTH-6).

``read_credit_profile`` decides (default deny), counts the read against the grant's limit under a
row lock, writes a call log for every decision, and only then reads the profile from datahub and
returns the granted, masked part. A refusal raises ``AccessDenied`` with a reason code after the
call log has been committed. "No grant" and "no such enterprise" give the same reason code.

A read that names several scopes needs one grant covering all of them: a partial match is
refused (``consent_scope_not_granted``), never silently trimmed, so the caller knows exactly what
it got. Operators and regulators read under their own legal basis; those reads are logged too.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from dfsp.consent.models import CallLog, Grant, Scope
from dfsp.consent.selectors import (
    INSTITUTION_ROLES,
    SUPERVISOR_ROLES,
    acting_organisation,
    acting_user,
    enterprise_by_uscc,
    is_usable,
)
from dfsp.consent.states import Channel, GrantStatus, Reason
from dfsp.core import request_context
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.datahub import selectors as datahub

ProfileProvider = Callable[..., object]  # (*, uscc) -> datahub CreditProfile-like
END_REASONS = {
    GrantStatus.WITHDRAWN: Reason.WITHDRAWN,
    GrantStatus.EXPIRED: Reason.EXPIRED,
    GrantStatus.EXHAUSTED: Reason.EXHAUSTED,
    GrantStatus.ENDED: Reason.ENDED,
}


@dataclass(frozen=True)
class GatedSection:
    scope: str
    category: str
    label: str
    records: list[dict]  # {"period", "event_date", "values": masked {element: text}}


@dataclass(frozen=True)
class GatedProfile:
    uscc: str
    name: str
    scopes: list[str]
    sections: list[GatedSection] = field(default_factory=list)
    grant_id: int | None = None
    remaining: int | None = None
    call_log_id: int | None = None


class GateRefused(AccessDenied):
    """403 with the gate's reason code; the call log is already written."""


@dataclass
class _Decision:
    allowed: bool
    reason: str
    grant: Grant | None = None
    definitions: dict = field(default_factory=dict)  # scope code -> definition used for the read
    elements: frozenset[str] = frozenset()  # requested elements (empty: whole scopes)


def _resolve(items: Iterable[str]) -> tuple[list[str], frozenset[str]] | None:
    """Requested scope codes and element codes -> (scope codes, element filter); None if unknown."""
    items = [str(i).strip() for i in items or [] if str(i).strip()]
    if not items:
        return None
    scopes = {
        code: {"categories": categories, "elements": elements}
        for code, categories, elements in Scope.objects.filter(is_active=True).values_list(
            "code", "categories", "elements"
        )
    }
    codes, elements = [], set()
    for item in items:
        if item in scopes:
            codes.append(item)
            continue
        owners = [code for code, definition in scopes.items() if _covers_element(definition, item)]
        if not owners:
            return None
        codes.append(owners[0])
        elements.add(item)
    return list(dict.fromkeys(codes)), frozenset(elements)


def _covers_element(definition: dict, element: str) -> bool:
    from dfsp.datahub.catalogue import CATEGORIES

    if definition["elements"]:
        return element in definition["elements"]
    return any(element in CATEGORIES[c].elements for c in definition["categories"] if c in CATEGORIES)


def _decide(*, actor, organisation, uscc, codes, purpose_type, purpose_id) -> _Decision:
    if actor.has_any_role(SUPERVISOR_ROLES):
        definitions = {s.code: s.definition() for s in Scope.objects.filter(code__in=codes)}
        return _Decision(True, Reason.LEGAL_BASIS, definitions=definitions)
    if not actor.has_any_role(INSTITUTION_ROLES) or organisation is None:
        return _Decision(False, Reason.ROLE)
    # One query locks this purpose's grants (a handful of rows) until the call log is written, so
    # a withdrawal and a read never interleave and the counter never overshoots the limit.
    candidates = list(
        Grant.objects.select_for_update()
        .filter(institution=organisation, uscc=uscc, purpose_type=purpose_type, purpose_id=str(purpose_id))
        .order_by("-signed_at", "-pk")
    )
    if not candidates:
        return _Decision(False, Reason.NO_GRANT)
    now = timezone.now()
    usable = [g for g in candidates if is_usable(g, now)]
    covering = [g for g in usable if set(codes) <= set(g.scope_codes)]
    if covering:
        grant = covering[0]
        grant.query_count += 1
        fields = ["query_count"]
        if grant.query_limit is not None and grant.query_count >= grant.query_limit:
            grant.status, grant.ended_at = GrantStatus.EXHAUSTED, now
            fields += ["status", "ended_at"]
        grant.save(update_fields=fields)
        return _Decision(
            True, Reason.ALLOWED, grant=grant, definitions={c: grant.scope_snapshot[c] for c in codes}
        )
    if usable:
        return _Decision(False, Reason.SCOPE, grant=usable[0])
    latest = candidates[0]
    if latest.status == GrantStatus.ACTIVE:
        if latest.valid_until <= now:
            return _Decision(False, Reason.EXPIRED, grant=latest)
        return _Decision(False, Reason.EXHAUSTED, grant=latest)
    return _Decision(False, END_REASONS.get(latest.status, Reason.NO_GRANT), grant=latest)


def _log(
    *, actor, organisation, uscc, requested, returned, purpose_type, purpose_id, decision, channel
) -> CallLog:
    user = acting_user(actor)
    api_key = getattr(actor, "api_key", None)
    # Without a grant (supervisors' reads, refusals) the enterprise is looked up so that it still
    # sees the attempt under "who used my data"; the caller learns nothing from this.
    enterprise = enterprise_by_uscc(uscc) if decision.grant is None else None
    return CallLog.objects.create(
        reader_org_id=getattr(organisation, "pk", None),
        reader_org_name=getattr(organisation, "name", "")[:200],
        reader_kind=getattr(organisation, "kind", ""),
        user_id=getattr(user, "pk", None),
        username=user.get_username() if user is not None else "",
        api_key_prefix=getattr(api_key, "prefix", "") or "",
        role=",".join(sorted(actor.role_codes()))[:100],
        uscc=uscc[:40],
        enterprise_id=decision.grant.enterprise_id if decision.grant else getattr(enterprise, "pk", None),
        requested=list(requested),
        returned=list(returned),
        purpose_type=str(purpose_type or "")[:20],
        purpose_id=str(purpose_id or "")[:64],
        grant_id=decision.grant.pk if decision.grant else None,
        allowed=decision.allowed,
        reason=str(decision.reason),
        channel=str(channel)[:8],
        request_id=(request_context.current_request_id() or "")[:64],
    )


def _cutoff(months_back: int) -> str:
    if not months_back:
        return ""
    today = timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - months_back
    return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"


def _in_range(record, cutoff: str) -> bool:
    if not cutoff:
        return True
    if record.period:
        return record.period >= cutoff
    if isinstance(record.event_date, date):
        return record.event_date.strftime("%Y-%m") >= cutoff
    return True


def _shape(*, actor, profile, decision: _Decision) -> list[GatedSection]:
    policy = datahub.active_policy()
    sensitivity = datahub.element_sensitivity()
    sections = []
    for code, definition in decision.definitions.items():
        cutoff = _cutoff(definition.get("months_back", 0))
        allowed_elements = set(definition.get("elements") or [])
        for category in definition["categories"]:
            view = profile.sections.get(category)
            if view is None:
                continue
            records = []
            for record in view.records:
                if not _in_range(record, cutoff):
                    continue
                values = {
                    k: v
                    for k, v in record.values.items()
                    if (not allowed_elements or k in allowed_elements)
                    and (not decision.elements or k in decision.elements)
                }
                masked = datahub.masked_values(
                    viewer=actor, values=values, policy=policy, sensitivity=sensitivity
                )
                records.append({"period": record.period, "event_date": record.event_date, "values": masked})
            sections.append(GatedSection(scope=code, category=category, label=view.label, records=records))
    return sections


def _decide_and_log(
    *, actor, uscc, requested, purpose_type, purpose_id, channel, own_data: bool = False
) -> tuple[str, _Decision, CallLog]:
    """Decide (locking and counting the grant) and write the call log in one transaction; a refusal
    raises GateRefused only after the log is committed. Returns the normalised code. ``own_data`` admits an enterprise's
    pre-assessment of its own data (decision-model reads only)."""
    uscc = (uscc or "").strip().upper()
    organisation = acting_organisation(actor)
    requested = [str(i) for i in requested or []]
    resolved = _resolve(requested)
    with transaction.atomic():
        if resolved is None:
            decision = _Decision(False, Reason.UNKNOWN_SCOPE)
        else:
            decision = None
            if own_data:
                decision = _decide_own_data(
                    actor=actor,
                    organisation=organisation,
                    uscc=uscc,
                    codes=resolved[0],
                    purpose_type=purpose_type,
                )
            decision = decision or _decide(
                actor=actor,
                organisation=organisation,
                uscc=uscc,
                codes=resolved[0],
                purpose_type=purpose_type,
                purpose_id=purpose_id,
            )
            decision.elements = resolved[1]
        log = _log(
            actor=actor,
            organisation=organisation,
            uscc=uscc,
            requested=requested,
            returned=list(decision.definitions) if decision.allowed else [],
            purpose_type=purpose_type,
            purpose_id=purpose_id,
            decision=decision,
            channel=channel,
        )
    if not decision.allowed:
        raise GateRefused(code=str(decision.reason))
    return uscc, decision, log


def _read_profile(provider, uscc: str, decision: _Decision):
    """The datahub profile, or None for an enterprise with no data yet under a valid grant."""
    try:
        return provider(uscc=uscc)
    except NotFound:
        if decision.grant is None and decision.reason != OWN_DATA_REASON:
            raise
        return None


def read_credit_profile(
    *,
    actor,
    uscc: str,
    elements_or_scopes: Iterable[str],
    purpose_type: str = "",
    purpose_id: str = "",
    channel: str = Channel.WEB,
    provider: ProfileProvider | None = None,
) -> GatedProfile:
    """The granted, masked part of an enterprise's credit profile; refused reads raise GateRefused."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AccessDenied()
    uscc, decision, log = _decide_and_log(
        actor=actor,
        uscc=uscc,
        requested=elements_or_scopes,
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        channel=channel,
    )
    profile = _read_profile(provider or datahub.get_credit_profile, uscc, decision)
    sections = _shape(actor=actor, profile=profile, decision=decision) if profile is not None else []
    return GatedProfile(
        uscc=uscc,
        name=getattr(profile, "name", "") or (decision.grant.enterprise.name if decision.grant else ""),
        scopes=list(decision.definitions),
        sections=sections,
        grant_id=decision.grant.pk if decision.grant else None,
        remaining=decision.grant.remaining if decision.grant else None,
        call_log_id=log.pk,
    )


def log_supervisor_read(
    *, actor, uscc: str, elements: Iterable[str], purpose: str, channel: str = Channel.WEB
):
    """Call log of an operator's or regulator's read on datahub's own pages (registered with
    ``dfsp.datahub.access`` in ``ConsentConfig.ready``; datahub cannot import consent).

    Logged exactly like a supervisor's read through ``read_credit_profile``: reason ``legal_basis``,
    no grant, the enterprise looked up by code so that it sees the read under "who used my data";
    ``purpose`` (the page's reference, e.g. ``datahub_profile``) goes into ``purpose_id``. Anyone
    else is logged as refused (``consent_role_not_permitted``) and gets GateRefused."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AccessDenied()
    requested = [str(e) for e in elements or []]
    allowed = actor.has_any_role(SUPERVISOR_ROLES)
    decision = _Decision(allowed, Reason.LEGAL_BASIS if allowed else Reason.ROLE)
    with transaction.atomic():
        log = _log(
            actor=actor,
            organisation=acting_organisation(actor),
            uscc=(uscc or "").strip().upper(),
            requested=requested,
            returned=requested if allowed else [],
            purpose_type="",
            purpose_id=purpose,
            decision=decision,
            channel=channel,
        )
    if not allowed:
        raise GateRefused(code=str(decision.reason))
    return log


# --- Reads for decision models (MPC-2) ----------------------------------------------------------
# The same decision, counting and call log as read_credit_profile, but the records come back
# unmasked and typed, for computation only: callers must never display them.

MODEL_CHANNEL = "model"  # CallLog.channel of a model read (free text, max 8): shows it was no display read
OWN_DATA_REASON = "own_data"  # CallLog.reason of an enterprise's pre-assessment of its own data
ENTERPRISE_ROLES = frozenset({"enterprise_admin", "enterprise_user"})


@dataclass(frozen=True)
class FeatureRecord:
    period: str
    event_date: date | None
    code: str
    amount: object
    values: dict  # raw standard elements, unmasked


@dataclass(frozen=True)
class GatedFeatures:
    """Unmasked, granted credit records for a model; never rendered."""

    uscc: str
    name: str
    scopes: list[str]
    records: dict = field(default_factory=dict)  # datahub category -> [FeatureRecord], newest first
    grant_id: int | None = None
    call_log_id: int | None = None
    reason: str = ""


def _decide_own_data(*, actor, organisation, uscc, codes, purpose_type) -> _Decision | None:
    """An enterprise pre-assessing itself reads its own data (no grant to itself is needed)."""
    if not actor.has_any_role(ENTERPRISE_ROLES) or organisation is None:
        return None
    if (
        getattr(organisation, "kind", "") != "enterprise"
        or (organisation.uscc or "").upper() != uscc
        or purpose_type != "pre_assessment"
    ):
        return None
    definitions = {s.code: s.definition() for s in Scope.objects.filter(code__in=codes)}
    return _Decision(True, OWN_DATA_REASON, definitions=definitions)


def _raw_records(*, profile, decision: _Decision) -> dict:
    records: dict[str, list[FeatureRecord]] = {}
    for definition in decision.definitions.values():
        cutoff = _cutoff(definition.get("months_back", 0))
        allowed_elements = set(definition.get("elements") or [])
        for category in definition["categories"]:
            rows = records.setdefault(category, [])  # granted but empty is "none", not "unknown"
            view = profile.sections.get(category)
            if view is None:
                continue
            for record in view.records:
                if not _in_range(record, cutoff):
                    continue
                values = {
                    k: v
                    for k, v in record.values.items()
                    if (not allowed_elements or k in allowed_elements)
                    and (not decision.elements or k in decision.elements)
                }
                rows.append(
                    FeatureRecord(record.period, record.event_date, record.code, record.amount, values)
                )
    return records


def read_credit_features(
    *,
    actor,
    uscc: str,
    scopes: Iterable[str],
    purpose_type: str = "",
    purpose_id: str = "",
    channel: str = MODEL_CHANNEL,
    provider: ProfileProvider | None = None,
) -> GatedFeatures:
    """The granted part of a profile, unmasked and typed, for decision models only.

    Decides exactly as ``read_credit_profile`` (and counts and logs the same way), plus one case:
    an enterprise user reading its own organisation's code for ``pre_assessment`` (reason
    ``own_data``). Refusals raise GateRefused after the call log is committed.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise AccessDenied()
    uscc, decision, log = _decide_and_log(
        actor=actor,
        uscc=uscc,
        requested=scopes,
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        channel=channel,
        own_data=True,
    )
    profile = _read_profile(provider or datahub.get_credit_profile, uscc, decision)
    records = _raw_records(profile=profile, decision=decision) if profile is not None else {}
    return GatedFeatures(
        uscc=uscc,
        name=getattr(profile, "name", "") or (decision.grant.enterprise.name if decision.grant else ""),
        scopes=list(decision.definitions),
        records=records,
        grant_id=decision.grant.pk if decision.grant else None,
        call_log_id=log.pk,
        reason=str(decision.reason),
    )
