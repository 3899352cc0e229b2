"""Writes of the financing app: demands (FIN-P2) and loan applications (FIN-P3).

Other apps call these names; the modules behind them are an internal split by concern."""

from dfsp.financing.services.applications import (
    accept_application,
    approve_application,
    mark_disbursed,
    record_application_denial,
    record_material_view,
    reject_application,
    resubmit_application,
    return_application,
    withdraw_application,
)
from dfsp.financing.services.demands import (
    approve_demand,
    expire_demands,
    favourite_demand,
    publish_demand,
    record_demand_denial,
    reject_demand,
    reveal_contact,
    take_demand,
    unfavourite_demand,
    withdraw_demand,
)
from dfsp.financing.services.review import (
    add_note,
    assess_application,
    assign_officer,
    decide_proposal,
    invite_to_apply,
    propose_decision,
    save_rejection_reason,
    set_review_settings,
)
from dfsp.financing.services.submission import preview_application, submit_application

__all__ = [
    "accept_application",
    "add_note",
    "assess_application",
    "approve_application",
    "approve_demand",
    "assign_officer",
    "decide_proposal",
    "expire_demands",
    "favourite_demand",
    "invite_to_apply",
    "mark_disbursed",
    "preview_application",
    "propose_decision",
    "publish_demand",
    "record_application_denial",
    "record_demand_denial",
    "record_material_view",
    "reject_application",
    "reject_demand",
    "resubmit_application",
    "return_application",
    "reveal_contact",
    "save_rejection_reason",
    "set_review_settings",
    "submit_application",
    "take_demand",
    "unfavourite_demand",
    "withdraw_application",
    "withdraw_demand",
]
