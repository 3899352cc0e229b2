"""Reads of enterprise data, scoped to the actor; "not yours" and "does not exist" look the same.

Other apps call ``ensure_certified``, ``is_certified`` and ``profile_of`` (financing: demands).
"""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.enterprises.models import BlacklistEntry, Certification, CertificationMaterial, EnterpriseProfile
from dfsp.enterprises.states import QUEUE_STATES, CertificationStatus


def profile_of(organisation) -> EnterpriseProfile | None:
    if organisation is None:
        return None
    return EnterpriseProfile.objects.filter(organisation=organisation).first()


def certification_status_of(organisation) -> str:
    status = Certification.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    return status or CertificationStatus.DRAFT


def is_certified(organisation) -> bool:
    return organisation is not None and certification_status_of(organisation) == CertificationStatus.APPROVED


def ensure_certified(organisation) -> None:
    """Refuse (403 ``enterprise_not_certified``) unless the enterprise holds a valid certification."""
    if not is_certified(organisation):
        raise AccessDenied(
            _("Only certified enterprises can do this. Complete the enterprise certification first."),
            code="enterprise_not_certified",
        )


def own_certification(actor) -> Certification:
    organisation = organisation_of(actor)
    if organisation is None or not actor.has_any_role({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER}):
        raise NotFound()
    # Enterprises created before this app existed have no row yet: show them as "not submitted".
    return Certification.objects.filter(organisation=organisation).first() or Certification(
        organisation=organisation
    )


def blacklist_hit_for(organisation) -> BlacklistEntry | None:
    """The entry in force today that names this enterprise, if any (shown to reviewing operators)."""
    if organisation is None or not organisation.uscc:
        return None
    return BlacklistEntry.objects.in_force().filter(uscc=organisation.uscc).first()


def _certifications_for(actor) -> QuerySet[Certification]:
    queryset = Certification.objects.select_related("organisation", "reviewer", "blacklist_entry")
    if actor.has_role(Role.OPERATOR):
        return queryset
    organisation = organisation_of(actor)
    if organisation is None or not actor.has_any_role({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER}):
        return queryset.none()
    return queryset.filter(organisation=organisation)


def get_certification_for(actor, certification_id) -> Certification:
    try:
        return _certifications_for(actor).get(pk=certification_id)
    except (Certification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def review_queue(
    actor, *, status: str = "", query: str = "", order: str = "oldest"
) -> QuerySet[Certification]:
    """The operators' queue: waiting certifications, longest-waiting first by default."""
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied()
    queryset = _certifications_for(actor)
    if status in CertificationStatus.values:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=QUEUE_STATES)
    if query:
        queryset = queryset.filter(
            Q(organisation__name__icontains=query) | Q(organisation__uscc__icontains=query)
        )
    return queryset.order_by("-submitted_at" if order == "newest" else "submitted_at", "pk")


def get_material_for(actor, material_id) -> CertificationMaterial:
    """Materials are for the enterprise's own administrators and platform operators only."""
    queryset = CertificationMaterial.objects.select_related("certification__organisation")
    if not actor.has_role(Role.OPERATOR):
        organisation = organisation_of(actor)
        if organisation is None or not actor.has_role(Role.ENTERPRISE_ADMIN):
            raise NotFound()
        queryset = queryset.filter(certification__organisation=organisation)
    try:
        return queryset.get(pk=material_id)
    except (CertificationMaterial.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def blacklist_for(actor, *, query: str = "", state: str = "") -> QuerySet[BlacklistEntry]:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied()
    queryset = BlacklistEntry.objects.all()
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(uscc__icontains=query))
    if state == "in_force":
        queryset = queryset.in_force()
    elif state == "not_in_force":
        queryset = queryset.exclude(pk__in=BlacklistEntry.objects.in_force().values("pk"))
    return queryset


def get_blacklist_entry_for(actor, entry_id) -> BlacklistEntry:
    try:
        return blacklist_for(actor).get(pk=entry_id)
    except (BlacklistEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def certified_count() -> int:
    """Public statistics: enterprises whose certification is approved."""
    return Certification.objects.filter(status=CertificationStatus.APPROVED).count()


def count_by_industry() -> dict[str, int]:
    """Public statistics: registered enterprises per GB/T 4754 section code."""
    rows = EnterpriseProfile.objects.values("industry").annotate(n=Count("pk"))
    return {row["industry"]: row["n"] for row in rows}


def network_counts(organisation) -> dict[str, int]:
    """Anti-fraud facts from registration data: how many enterprises share this one's legal
    representative, and how many OTHER enterprises registered the same contact mobile."""
    profile = profile_of(organisation)
    if profile is None:
        return {"legal_rep_enterprise_count": 0, "mobile_shared_count": 0}
    legal_rep = (
        EnterpriseProfile.objects.filter(legal_representative=profile.legal_representative).count()
        if profile.legal_representative
        else 0
    )
    shared_mobile = (
        EnterpriseProfile.objects.filter(contact_mobile=profile.contact_mobile)
        .exclude(organisation=profile.organisation_id)
        .count()
        if profile.contact_mobile
        else 0
    )
    return {"legal_rep_enterprise_count": legal_rep, "mobile_shared_count": shared_mobile}
