"""Reads of the consent module, scoped to the actor ("not yours" looks like "does not exist")."""

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts import selectors as account_selectors
from dfsp.accounts.selectors import organisation_of
from dfsp.consent.models import CallLog, ConsentTemplate, Grant, GrantRequest, Scope
from dfsp.consent.states import GrantStatus, RequestStatus
from dfsp.core.errors import AccessDenied, NotFound, ValidationFailed

ENTERPRISE_ROLES = frozenset({"enterprise_admin", "enterprise_user"})
INSTITUTION_ROLES = frozenset({"institution_admin", "institution_user"})
SUPERVISOR_ROLES = frozenset({"operator", "regulator"})
WORKING_HOURS = range(8, 20)  # Asia/Shanghai; reads outside them are flagged for the regulator


def acting_organisation(actor):
    """The organisation a person or an API key acts for."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if hasattr(actor, "api_key"):  # dfsp.core.api_auth.ApiCaller
        return actor.organisation
    return organisation_of(actor)


def acting_user(actor):
    return actor.user if hasattr(actor, "api_key") else actor


def enterprise_by_uscc(uscc: str):
    """The registered enterprise with this code, or None."""
    return account_selectors.active_enterprise_by_uscc(uscc)


def institution_by_id(institution_id):
    return account_selectors.get_active_institution(institution_id)


def institution_choices() -> list[tuple[int, str]]:
    return list(account_selectors.active_institutions().values_list("pk", "name"))


def members_of(organisation, roles) -> list:
    if organisation is None:
        return []
    return account_selectors.active_members(roles, organisation)


# --- Scopes and templates (AUTH-1 … AUTH-4, AUTH-7) --------------------------------------------


def active_scopes() -> QuerySet[Scope]:
    return Scope.objects.filter(is_active=True)


def scope_names(codes) -> list[str]:
    """Display names of scope codes, in the given order. A call log may also name datahub
    categories or single elements (supervisors' reads, element-level requests): those get the
    catalogue's names; anything else is shown as it is."""
    from django.utils.translation import get_language

    from dfsp.datahub.catalogue import ELEMENTS_BY_CODE, Category

    codes = list(codes)
    names = dict(Scope.objects.filter(code__in=codes).values_list("code", "name"))
    chinese = (get_language() or "").startswith("zh")

    def name(code):
        if code in names:
            return names[code]
        if code in Category.values:
            return str(Category(code).label)
        element = ELEMENTS_BY_CODE.get(code)
        if element is not None:
            return element.name_zh if chinese else element.name_en
        return code

    return [name(code) for code in codes]


def validate_scope_codes(codes) -> list[str]:
    """The codes, de-duplicated in order; ValidationFailed if one is unknown or inactive."""
    codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
    known = set(active_scopes().filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationFailed(
            _("Unknown data scopes: %(codes)s") % {"codes": ", ".join(unknown)},
            code="consent_unknown_scope",
            field_errors={
                "scope_codes": [_("Unknown data scopes: %(codes)s") % {"codes": ", ".join(unknown)}]
            },
        )
    return list(dict.fromkeys(codes))


def scopes_for_product(product) -> list[Scope]:
    """The scopes a product declares it needs (institutions' ``Product.data_scopes``)."""
    codes = validate_scope_codes(getattr(product, "data_scopes", None) or [])
    order = {code: i for i, code in enumerate(codes)}
    return sorted(active_scopes().filter(code__in=codes), key=lambda s: order[s.code])


def current_template() -> ConsentTemplate:
    template = ConsentTemplate.objects.order_by("-version").first()
    if template is None:
        raise ValidationFailed(_("No consent text has been configured yet."), code="consent_no_template")
    return template


def list_templates(*, actor) -> QuerySet[ConsentTemplate]:
    _ensure_operator(actor)
    return ConsentTemplate.objects.all()


def list_scopes(*, actor) -> QuerySet[Scope]:
    _ensure_operator(actor)
    return Scope.objects.all()


def get_scope(*, actor, scope_id) -> Scope:
    _ensure_operator(actor)
    try:
        return Scope.objects.get(pk=int(scope_id))
    except (ValueError, TypeError, Scope.DoesNotExist):
        raise NotFound() from None


def _ensure_operator(actor) -> None:
    if not actor.has_role("operator"):
        raise AccessDenied()


# --- Grants and requests ---------------------------------------------------------------------


def grants_for(actor) -> QuerySet[Grant]:
    """Enterprise: grants it gave; institution: grants it holds; operator/regulator: all."""
    grants = Grant.objects.select_related("enterprise", "institution", "template")
    if actor.has_any_role(SUPERVISOR_ROLES):
        return grants
    own = acting_organisation(actor)
    if own is None:
        return grants.none()
    if actor.has_any_role(ENTERPRISE_ROLES):
        return grants.filter(enterprise=own)
    if actor.has_any_role(INSTITUTION_ROLES):
        return grants.filter(institution=own)
    return grants.none()


def get_grant_for(actor, grant_id) -> Grant:
    try:
        return grants_for(actor).get(pk=int(grant_id))
    except (ValueError, TypeError, Grant.DoesNotExist):
        raise NotFound() from None


def requests_for(actor) -> QuerySet[GrantRequest]:
    requests = GrantRequest.objects.select_related("enterprise", "institution", "requested_by")
    own = acting_organisation(actor)
    if own is None:
        return requests.none()
    if actor.has_any_role(ENTERPRISE_ROLES):
        return requests.filter(enterprise=own)
    if actor.has_any_role(INSTITUTION_ROLES):
        return requests.filter(institution=own)
    return requests.none()


def get_request_for(actor, request_id) -> GrantRequest:
    try:
        return requests_for(actor).get(pk=int(request_id))
    except (ValueError, TypeError, GrantRequest.DoesNotExist):
        raise NotFound() from None


def pending_requests_for(actor) -> QuerySet[GrantRequest]:
    return requests_for(actor).filter(status=RequestStatus.PENDING)


def is_usable(grant: Grant, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        grant.status == GrantStatus.ACTIVE
        and grant.valid_until > now
        and (grant.query_limit is None or grant.query_count < grant.query_limit)
    )


# --- Call logs ("who used my data", institution usage, regulator audit) -------------------------


@dataclass(frozen=True)
class LogFilters:
    uscc: str = ""
    reader: str = ""
    allowed: str = ""  # "" | "1" | "0"
    reason: str = ""
    date_from: str = ""
    date_to: str = ""


def call_logs_for(actor, filters: LogFilters | None = None) -> QuerySet[CallLog]:
    logs = CallLog.objects.all()
    own = acting_organisation(actor)
    if actor.has_role("regulator") or actor.has_role("operator"):
        pass
    elif own is not None and actor.has_any_role(ENTERPRISE_ROLES):
        logs = logs.filter(enterprise_id=own.pk)
    elif own is not None and actor.has_any_role(INSTITUTION_ROLES):
        logs = logs.filter(reader_org_id=own.pk)
    else:
        return logs.none()
    return _filtered(logs, filters or LogFilters())


def _filtered(logs: QuerySet[CallLog], f: LogFilters) -> QuerySet[CallLog]:
    if f.uscc:
        logs = logs.filter(uscc__icontains=f.uscc.strip()[:18])
    if f.reader:
        logs = logs.filter(Q(reader_org_name__icontains=f.reader[:60]) | Q(username__icontains=f.reader[:60]))
    if f.allowed in ("0", "1"):
        logs = logs.filter(allowed=f.allowed == "1")
    if f.reason:
        logs = logs.filter(reason=f.reason[:40])
    for value, lookup in ((f.date_from, "occurred_at__date__gte"), (f.date_to, "occurred_at__date__lte")):
        with contextlib.suppress(ValueError):
            logs = logs.filter(**{lookup: datetime.strptime(value, "%Y-%m-%d").date()}) if value else logs
    return logs


@dataclass(frozen=True)
class Anomaly:
    institution: str
    kind: str
    detail: str


def anomaly_hints(*, actor, days: int = 30) -> list[Anomaly]:
    """Patterns worth a regulator's look: reads without application-tied grants, night reads, limits."""
    if not actor.has_any_role(SUPERVISOR_ROLES):
        raise AccessDenied()
    since = timezone.now() - timedelta(days=days)
    logs = CallLog.objects.filter(occurred_at__gte=since, reader_kind="institution")
    hints: list[Anomaly] = []
    per_org = logs.values("reader_org_id", "reader_org_name").annotate(
        reads=Count("pk", filter=Q(allowed=True)),
        denied=Count("pk", filter=Q(allowed=False)),
        app_reads=Count("pk", filter=Q(allowed=True, purpose_type="application")),
    )
    for row in per_org:
        if row["reads"] >= 10 and row["app_reads"] * 5 < row["reads"]:
            hints.append(
                Anomaly(
                    row["reader_org_name"],
                    _("Few reads tied to applications"),
                    _("%(reads)d reads, %(app)d for applications")
                    % {"reads": row["reads"], "app": row["app_reads"]},
                )
            )
        if row["denied"] >= 5:
            hints.append(
                Anomaly(
                    row["reader_org_name"], _("Many refused reads"), _("%(n)d refused") % {"n": row["denied"]}
                )
            )
    night = (
        logs.annotate(hour=ExtractHour("occurred_at", tzinfo=timezone.get_current_timezone()))
        .exclude(hour__in=list(WORKING_HOURS))
        .values("reader_org_name")
        .annotate(n=Count("pk"))
        .order_by("reader_org_name")
    )
    for row in night:
        hints.append(
            Anomaly(
                row["reader_org_name"], _("Reads outside working hours"), _("%(n)d reads") % {"n": row["n"]}
            )
        )
    near = Grant.objects.filter(status=GrantStatus.ACTIVE, query_limit__isnull=False).select_related(
        "institution"
    )
    for grant in near:
        if grant.query_limit and grant.query_count >= 0.8 * grant.query_limit:
            hints.append(
                Anomaly(
                    grant.institution.name,
                    _("Grant near its query limit"),
                    f"#{grant.pk} {grant.query_count}/{grant.query_limit}",
                )
            )
    return hints
