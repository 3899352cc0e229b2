"""Financing tables: demands (FIN-P2) and loan applications (FIN-P3)."""

from dfsp.financing.models.applications import (
    Application,
    ApplicationEvent,
    ApplicationInvitation,
    ApplicationMaterial,
    ApplicationNote,
    ApplicationNumber,
    RejectionReason,
    ReviewSettings,
)
from dfsp.financing.models.demands import Demand, DemandEvent, DemandFavourite, DemandReveal

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationInvitation",
    "ApplicationMaterial",
    "ApplicationNote",
    "ApplicationNumber",
    "Demand",
    "DemandEvent",
    "DemandFavourite",
    "DemandReveal",
    "RejectionReason",
    "ReviewSettings",
]
