"""Reads of the financing app, scoped to the actor: demands (FIN-P2), loan applications (FIN-P3)
and their statistics. Other apps call these names."""

from dfsp.financing.selectors.applications import (
    application_queue,
    applications_for,
    get_application_for,
    get_invitation_for,
    get_material_for,
    invitations_for,
    late_applications,
    notes_for,
    open_application_for_product,
    platform_history,
    rejection_reasons,
    two_step_approval,
)
from dfsp.financing.selectors.demands import (
    contact_visible,
    demand_statistics,
    demands_for,
    favourites_for,
    get_demand_for,
    interested_institutions,
    is_favourite,
    live_demands,
    own_demands,
    review_queue,
)
from dfsp.financing.selectors.statistics import application_statistics, statistics_by_institution

__all__ = [
    "application_queue",
    "application_statistics",
    "applications_for",
    "contact_visible",
    "demand_statistics",
    "demands_for",
    "favourites_for",
    "get_application_for",
    "get_demand_for",
    "get_invitation_for",
    "get_material_for",
    "interested_institutions",
    "invitations_for",
    "is_favourite",
    "late_applications",
    "live_demands",
    "notes_for",
    "open_application_for_product",
    "own_demands",
    "platform_history",
    "rejection_reasons",
    "review_queue",
    "statistics_by_institution",
    "two_step_approval",
]
