"""Purpose checks for consent (see ``dfsp.consent.purposes``): financing owns two purpose types.

``application``: an open application of this enterprise to this institution, or the application number
``preview_application`` reserved for it (the enterprise signs the grant before the application row
exists). ``demand``: a demand of this enterprise taken by this institution.
Registered in ``FinancingConfig.ready``.
"""

from django.utils.translation import gettext as _

from dfsp.financing.models import Application, ApplicationNumber, Demand
from dfsp.financing.states import OPEN_APPLICATION_STATES, DemandStatus


def _pk(purpose_id):
    text = str(purpose_id or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def check_application(*, purpose_id, enterprise, institution) -> str | None:
    pk = _pk(purpose_id)
    if pk is None or enterprise is None or institution is None:
        return None
    application = (
        Application.objects.filter(pk=pk, enterprise=enterprise, institution=institution)
        .only("pk", "status", "product_name")
        .first()
    )
    if application is not None:
        if application.status not in OPEN_APPLICATION_STATES:
            return None  # its grants ended with it; a new one would outlive the purpose
        return _("Application %(number)s · %(product)s") % {"number": pk, "product": application.product_name}
    if Application.objects.filter(pk=pk).exists():
        return None  # the number belongs to someone else's application
    number = (
        ApplicationNumber.objects.filter(pk=pk, enterprise=enterprise, product__organisation=institution)
        .select_related("product")
        .first()
    )
    if number is None:
        return None
    return _("Application %(number)s · %(product)s") % {"number": pk, "product": number.product.name}


def check_demand(*, purpose_id, enterprise, institution) -> str | None:
    pk = _pk(purpose_id)
    if pk is None or enterprise is None or institution is None:
        return None
    demand = (
        Demand.objects.filter(
            pk=pk, organisation=enterprise, status=DemandStatus.TAKEN, taken_by_organisation=institution
        )
        .only("pk", "title")
        .first()
    )
    if demand is None:
        return None
    return _("Demand %(number)s · %(title)s") % {"number": pk, "title": demand.title}


def register() -> None:
    from dfsp.consent import purposes
    from dfsp.consent.states import PurposeType

    purposes.register(PurposeType.APPLICATION, check_application)
    purposes.register(PurposeType.DEMAND, check_demand)
