"""Demo: scopes and consent text v1; 华源新材料 authorises 工行大庆分行 (tax, registration, judicial)
for a demand the bank took, one withdrawn grant, one pending request to 丰禾农业, gate reads."""

import contextlib

from django.contrib.auth import get_user_model

from dfsp.consent import defaults, gate, selectors, services
from dfsp.consent.models import ConsentTemplate, Grant, Scope
from dfsp.consent.states import PurposeType
from dfsp.core.errors import AccessDenied, NotFound

DEMAND_REF = "DQ-DEMO-0001"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _grant(actor, institution_id, scopes, purpose_type, purpose_id, limit):
    preview = services.preview_grant(
        actor=actor,
        institution_id=institution_id,
        scope_codes=scopes,
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        query_limit=limit,
    )
    return services.grant_consent(
        actor=actor,
        institution_id=institution_id,
        scope_codes=scopes,
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        query_limit=limit,
        shown_text_hash=preview["text_hash"],
        confirmed=True,
        ip="127.0.0.1",
    )


def seed(stdout) -> None:
    defaults.install(Scope, ConsentTemplate)
    ent_admin, bank_officer, rcb_officer = _user("ent_admin"), _user("bank_officer"), _user("rcb_officer")
    agri_admin, regulator = _user("agri_admin"), _user("regulator")
    if ent_admin is None or bank_officer is None or Grant.objects.exists():
        return
    bank = selectors.acting_organisation(bank_officer)
    grant = _grant(
        ent_admin, bank.pk, ["registration", "tax", "judicial"], PurposeType.DEMAND, DEMAND_REF, 20
    )
    if rcb_officer is not None:
        rcb = selectors.acting_organisation(rcb_officer)
        other = _grant(ent_admin, rcb.pk, ["registration"], PurposeType.PRE_ASSESSMENT, "PRODUCT-DEMO", 5)
        services.withdraw_grant(actor=ent_admin, grant_id=other.pk)
        # A refused read, logged: the enterprise sees it under "who used my data".
        with contextlib.suppress(AccessDenied):
            gate.read_credit_profile(
                actor=rcb_officer,
                uscc=other.uscc,
                elements_or_scopes=["registration"],
                purpose_type=other.purpose_type,
                purpose_id=other.purpose_id,
            )
    if agri_admin is not None:
        agri = selectors.acting_organisation(agri_admin)
        services.request_grant(
            actor=bank_officer,
            uscc=agri.uscc,
            scope_codes=["registration", "tax", "social_insurance"],
            purpose_type=PurposeType.PRE_ASSESSMENT,
            purpose_id="PRODUCT-DEMO",
            reason="“惠农e贷”产品预审需要核实经营与纳税情况",
            query_limit=10,
        )
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
    stdout.write("consent: scopes, consent text v1, grants, a request and call logs\n")
