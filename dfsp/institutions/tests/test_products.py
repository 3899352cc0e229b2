"""Product lifecycle through the services: drafts, review, revisions, listing, access."""

import pytest
from django.apps import apps

from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.institutions import selectors, services
from dfsp.institutions.models import Product, ProductEvent
from dfsp.institutions.states import ProductStatus, RevisionStatus
from dfsp.institutions.tests.conftest import content
from dfsp.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_a_product_goes_from_draft_through_review_to_live(bank_officer, bank_admin, operator):
    # given
    product = services.create_product(actor=bank_officer, content=content())
    assert product.status == ProductStatus.DRAFT
    # when
    services.submit_product(actor=bank_officer, product_id=product.pk)
    services.approve_product(actor=operator, product_id=product.pk)
    # then
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE
    assert product.listed_at is not None
    assert product.revisions.get().status == RevisionStatus.APPROVED
    assert list(product.events.order_by("id").values_list("action", flat=True)) == [
        "created",
        "submitted",
        "approved",
    ]
    assert (
        apps.get_model("audit", "AuditEvent")
        .objects.filter(event_type="institutions.product.approved", object_id=str(product.pk))
        .exists()
    )
    assert set(product.facets.values_list("kind", "code")) == {
        ("tag", "pure_credit"), ("tag", "online"), ("guarantee", "credit"), ("region", "230600"), ("industry", "C"),
    }  # fmt: skip
    # the submitter and the institution admin are told
    assert Message.objects.filter(recipient=bank_officer, title__contains="经营快贷").count() == 2
    assert Message.objects.filter(recipient=bank_admin).exists()


def test_a_rejected_product_needs_a_reason_and_can_be_resubmitted(bank_officer, operator):
    product = services.create_product(actor=bank_officer, content=content())
    services.submit_product(actor=bank_officer, product_id=product.pk)
    with pytest.raises(ValidationFailed):
        services.reject_product(actor=operator, product_id=product.pk, reason=" ")
    services.reject_product(actor=operator, product_id=product.pk, reason="利率区间与说明不符")
    product.refresh_from_db()
    assert product.status == ProductStatus.REJECTED
    assert product.revisions.get().review_reason == "利率区间与说明不符"
    # approving a rejected product is an illegal move
    with pytest.raises(InvalidTransition):
        services.approve_product(actor=operator, product_id=product.pk)
    product.refresh_from_db()
    assert product.status == ProductStatus.REJECTED
    # editing starts revision 2, which can be submitted again
    services.update_product(actor=bank_officer, product_id=product.pk, content=content(rate_max="4.20"))
    services.submit_product(actor=bank_officer, product_id=product.pk)
    services.approve_product(actor=operator, product_id=product.pk)
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE
    assert list(product.revisions.values_list("number", "status")) == [(2, "approved"), (1, "rejected")]


def test_editing_a_live_product_keeps_the_approved_version_listed(bank_officer, operator, make_live):
    product = make_live(bank_officer)
    revision = services.update_product(
        actor=bank_officer, product_id=product.pk, content=content(name="经营快贷（升级版）", rate_min="3.20")
    )
    services.submit_product(actor=bank_officer, product_id=product.pk)
    product.refresh_from_db()
    # then the listing still shows revision 1 while revision 2 is under review
    assert product.status == ProductStatus.LIVE
    assert product.name == "经营快贷"
    assert str(product.rate_min) == "3.45"
    assert selectors.search_products(selectors.MarketFilters()).filter(pk=product.pk).exists()
    # no second edit while under review
    with pytest.raises(Conflict):
        services.update_product(actor=bank_officer, product_id=product.pk, content=content())
    rows = {row["field"]: row for row in selectors.revision_diff(product.revisions.get(number=1), revision)}
    assert rows["name"]["changed"] and rows["rate_min"]["new"] == "3.20"
    assert not rows["term_max"]["changed"]
    services.approve_product(actor=operator, product_id=product.pk)
    product.refresh_from_db()
    assert product.name == "经营快贷（升级版）"
    assert str(product.rate_min) == "3.20"


def test_a_live_product_goes_offline_and_back_online(bank_officer, make_live):
    product = make_live(bank_officer)
    services.take_product_offline(actor=bank_officer, product_id=product.pk, reason="额度用完")
    assert not selectors.search_products(selectors.MarketFilters()).exists()
    with pytest.raises(InvalidTransition):
        services.take_product_offline(actor=bank_officer, product_id=product.pk)
    services.bring_product_online(actor=bank_officer, product_id=product.pk)
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE
    assert ProductEvent.objects.filter(product=product, action="offline", reason="额度用完").exists()


def test_a_draft_cannot_go_online(bank_officer):
    product = services.create_product(actor=bank_officer, content=content())
    with pytest.raises(InvalidTransition):
        services.bring_product_online(actor=bank_officer, product_id=product.pk)


def test_an_incomplete_product_cannot_be_submitted(bank_officer):
    product = services.create_product(actor=bank_officer, content=content(description="", response_days=None))
    with pytest.raises(ValidationFailed) as error:
        services.submit_product(actor=bank_officer, product_id=product.pk)
    assert set(error.value.field_errors) == {"description", "response_days"}
    assert error.value.code == "product_incomplete"
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("amount_min", {"amount_min": "500", "amount_max": "100"}),
        ("term_min", {"term_min": 24, "term_max": 12}),
        ("rate_min", {"rate_min": "9", "rate_max": "4"}),
        ("tags", {"tags": ["nonsense"]}),
        ("target_regions", {"target_regions": ["110000"]}),
        ("product_type", {"product_type": "lottery"}),
        ("amount_max", {"amount_max": "-1"}),
    ],
)
def test_bad_content_is_refused_with_a_field_message(bank_officer, field, overrides):
    with pytest.raises(ValidationFailed) as error:
        services.create_product(actor=bank_officer, content=content(**overrides))
    assert field in error.value.field_errors
    assert not Product.objects.exists()


def test_another_institution_cannot_touch_a_product(bank_officer, other_officer, operator, make_live):
    product = make_live(bank_officer)
    for action in (
        lambda: services.update_product(actor=other_officer, product_id=product.pk, content=content()),
        lambda: services.submit_product(actor=other_officer, product_id=product.pk),
        lambda: services.take_product_offline(actor=other_officer, product_id=product.pk),
        lambda: selectors.get_product_for(other_officer, product.pk),
    ):
        with pytest.raises(NotFound):
            action()
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE


def test_only_operators_review_and_only_institutions_create(bank_officer, enterprise_admin, bank_admin):
    product = services.create_product(actor=bank_officer, content=content())
    services.submit_product(actor=bank_officer, product_id=product.pk)
    with pytest.raises(AccessDenied):
        services.approve_product(actor=bank_admin, product_id=product.pk)
    with pytest.raises(AccessDenied):
        services.create_product(actor=enterprise_admin, content=content())
    assert list(selectors.list_products_for(enterprise_admin)) == []


def test_approving_twice_is_refused(bank_officer, operator):
    product = services.create_product(actor=bank_officer, content=content())
    services.submit_product(actor=bank_officer, product_id=product.pk)
    services.approve_product(actor=operator, product_id=product.pk)
    with pytest.raises(Conflict):
        services.approve_product(actor=operator, product_id=product.pk)


def test_favourites_are_per_user_and_live_only(
    enterprise_admin, other_enterprise_admin, bank_officer, make_live
):
    product = make_live(bank_officer)
    services.favourite_product(user=enterprise_admin, product_id=product.pk)
    services.favourite_product(user=enterprise_admin, product_id=product.pk)  # idempotent
    assert [f.product for f in selectors.favourites_for(enterprise_admin)] == [product]
    assert not selectors.favourites_for(other_enterprise_admin).exists()
    draft = services.create_product(actor=bank_officer, content=content(name="未上架"))
    with pytest.raises(NotFound):
        services.favourite_product(user=enterprise_admin, product_id=draft.pk)
    services.unfavourite_product(user=enterprise_admin, product_id=product.pk)
    assert not selectors.favourites_for(enterprise_admin).exists()
