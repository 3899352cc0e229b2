"""Mutual evaluation after disbursement (FIN-P7): each side rates the other once per loan."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dfsp.core.errors import Conflict, ValidationFailed
from dfsp.institutions import services as institution_services
from dfsp.postloan import parties
from dfsp.postloan.models import Rating
from dfsp.postloan.services.common import audit, clean_text, notify_later
from dfsp.postloan.states import Direction, EnterpriseTag, InstitutionTag

CATEGORY = "postloan.rating"


def _clean(stars, tags, comment, allowed_tags) -> tuple[int, list[str], str]:
    errors = {}
    try:
        stars = int(stars)
        if not 1 <= stars <= 5:
            raise ValueError
    except (TypeError, ValueError):
        errors["stars"] = _("Give 1 to 5 stars.")
    tags = list(dict.fromkeys(str(tag) for tag in (tags or [])))
    if any(tag not in allowed_tags for tag in tags):
        errors["tags"] = _("Choose tags from the list.")
    comment = clean_text(comment, 1000)
    if errors:
        raise ValidationFailed(field_errors=errors)
    return stars, tags, comment


def rate_loan(*, actor, loan_id, stars, tags=(), comment: str = "") -> Rating:
    """The caller's side rates the other side of ``loan_id``: once (409 ``already_rated``);
    only parties to the loan (404 for anyone else). An enterprise's rating of the institution
    feeds the product's rating in the financial supermarket."""
    who = parties.acting(actor)
    loan = parties.loan_as_party(actor, loan_id)
    side = parties.side_of(actor, loan)
    if side == parties.ENTERPRISE:
        direction, rater, ratee, allowed = (
            Direction.ENTERPRISE_RATES_INSTITUTION,
            loan.enterprise,
            loan.institution,
            InstitutionTag.values,
        )
    else:
        direction, rater, ratee, allowed = (
            Direction.INSTITUTION_RATES_ENTERPRISE,
            loan.institution,
            loan.enterprise,
            EnterpriseTag.values,
        )
    stars, tags, comment = _clean(stars, tags, comment, allowed)
    product_id = loan.application.product_id if direction == Direction.ENTERPRISE_RATES_INSTITUTION else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    loan=loan,
                    direction=direction,
                    rater=rater,
                    ratee=ratee,
                    uscc=loan.uscc,
                    product_id_rated=product_id,
                    stars=stars,
                    tags=tags,
                    comment=comment,
                    rated_by=who.user,
                )
        except IntegrityError:
            raise Conflict(
                _("This loan has already been rated by your side."), code="already_rated"
            ) from None
        if product_id is not None:
            institution_services.record_product_rating(product_id=product_id, stars=stars)
        audit(
            "postloan.rating.created", who, rating, {"loan": loan.pk, "direction": direction, "stars": stars}
        )
        people = (
            parties.institution_people(ratee)
            if side == parties.ENTERPRISE
            else parties.enterprise_people(ratee)
        )
        notify_later(
            people,
            category=CATEGORY,
            title=_("%(name)s rated your cooperation") % {"name": rater.name},
            body=_("%(stars)d of 5 stars") % {"stars": stars},
            link=f"/postloan/loans/{loan.pk}/",
        )
    return rating
