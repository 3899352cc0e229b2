"""Purpose check for consent (see ``dfsp.consent.purposes``): a ``pre_assessment`` grant names a
live product of this institution by its id (as the product's pre-assessment requests do).
Registered in ``InstitutionsConfig.ready``."""

from django.utils.translation import gettext as _

from dfsp.institutions.models import Product
from dfsp.institutions.states import ProductStatus


def check_pre_assessment(*, purpose_id, enterprise, institution) -> str | None:
    text = str(purpose_id or "").strip()
    if not (text.isdigit() and len(text) <= 18) or enterprise is None or institution is None:
        return None
    product = (
        Product.objects.filter(pk=int(text), organisation=institution, status=ProductStatus.LIVE)
        .only("pk", "name")
        .first()
    )
    if product is None:
        return None
    return _("Pre-assessment for %(product)s") % {"product": product.name}


def register() -> None:
    from dfsp.consent import purposes
    from dfsp.consent.states import PurposeType

    purposes.register(PurposeType.PRE_ASSESSMENT, check_pre_assessment)
