"""Demo: scopes and consent text v1, and gate reads for the grants the other demos signed.

The grants themselves are signed where their purpose lives — financing's demo for the demand ICBC
took, institutions' demo for product pre-assessments — through ``sign_demo_grant`` and
``request_demo_grant`` below, so every purpose reference is a real object.
"""

import contextlib

from django.contrib.auth import get_user_model

from dfsp.consent import defaults, gate, selectors, services
from dfsp.consent.models import CallLog, ConsentTemplate, Grant, GrantRequest, Scope
from dfsp.consent.states import GrantStatus, PurposeType
from dfsp.core.errors import AccessDenied, NotFound


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def sign_demo_grant(*, signer, institution, scopes, purpose_type, purpose_id, limit, product=None) -> Grant:
    """The enterprise admin previews and signs, as the signing page does (idempotent per purpose)."""
    defaults.install(Scope, ConsentTemplate)
    existing = Grant.objects.filter(
        institution=institution, purpose_type=purpose_type, purpose_id=str(purpose_id)
    ).first()
    if existing is not None:
        return existing
    fields = {
        "actor": signer,
        "institution_id": institution.pk,
        "scope_codes": scopes,
        "purpose_type": purpose_type,
        "purpose_id": str(purpose_id),
        "query_limit": limit,
        "product": product,
    }
    preview = services.preview_grant(**fields)
    return services.grant_consent(
        **fields, shown_text_hash=preview["text_hash"], confirmed=True, ip="127.0.0.1"
    )


def request_demo_grant(*, requester, uscc, scopes, purpose_type, purpose_id, reason, limit, product=None):
    defaults.install(Scope, ConsentTemplate)
    if GrantRequest.objects.filter(purpose_type=purpose_type, purpose_id=str(purpose_id)).exists():
        return None
    return services.request_grant(
        actor=requester, uscc=uscc, scope_codes=scopes, purpose_type=purpose_type, purpose_id=str(purpose_id),
        reason=reason, query_limit=limit, product=product,
    )  # fmt: skip


def seed(stdout) -> None:
    defaults.install(Scope, ConsentTemplate)
    bank_officer, rcb_officer, regulator = _user("bank_officer"), _user("rcb_officer"), _user("regulator")
    if bank_officer is None or CallLog.objects.exists():
        return
    bank = selectors.acting_organisation(bank_officer)
    grant = Grant.objects.filter(institution=bank, purpose_type=PurposeType.DEMAND).first()
    withdrawn = Grant.objects.filter(status=GrantStatus.WITHDRAWN).first()
    if withdrawn is not None and rcb_officer is not None:
        # A refused read, logged: the enterprise sees it under "who used my data".
        with contextlib.suppress(AccessDenied):
            gate.read_credit_profile(
                actor=rcb_officer,
                uscc=withdrawn.uscc,
                elements_or_scopes=list(withdrawn.scope_codes),
                purpose_type=withdrawn.purpose_type,
                purpose_id=withdrawn.purpose_id,
            )
    if grant is not None:
        try:
            for scopes in (["registration", "tax"], ["judicial"]):
                gate.read_credit_profile(
                    actor=bank_officer,
                    uscc=grant.uscc,
                    elements_or_scopes=scopes,
                    purpose_type=grant.purpose_type,
                    purpose_id=grant.purpose_id,
                )
            if regulator is not None:
                gate.read_credit_profile(actor=regulator, uscc=grant.uscc, elements_or_scopes=["tax"])
        except NotFound:
            pass  # datahub has no profile for this enterprise in this database
    stdout.write("consent: scopes, consent text v1 and reads through the gate\n")
