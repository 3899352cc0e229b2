"""The pages: public supermarket, detail, comparison, favourites; management, review, ranking, staff."""

import pytest

from dfsp.institutions import services
from dfsp.institutions.models import Favourite, InstitutionProfile, Product
from dfsp.institutions.states import ProductStatus
from dfsp.institutions.tests.conftest import content

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_browse_filter_and_compare(client, bank_officer, make_live):
    a = make_live(bank_officer)
    b = make_live(bank_officer, name="e抵快贷", product_type="mortgage", tags=["renewal"])
    draft = services.create_product(actor=bank_officer, content=content(name="草稿产品"))
    response = client.get("/institutions/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "经营快贷" in body and "e抵快贷" in body and "草稿产品" not in body
    response = client.get("/institutions/", {"product_type": "mortgage", "sort": "rate"})
    assert "e抵快贷" in response.content.decode() and "经营快贷" not in response.content.decode()
    # the htmx fragment is the result list alone
    fragment = client.get("/institutions/", {"tag": "renewal"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and "e抵快贷" in fragment.content.decode()
    assert client.get("/institutions/results/", {"q": "经营"}).content.decode().count("product-card") == 1
    # bad filter values are a field message, not a 500
    bad = client.get("/institutions/", {"amount": "lots", "sort": "evil", "institution": "x"})
    assert bad.status_code == 200
    assert client.get(f"/institutions/products/{a.pk}/").status_code == 200
    assert client.get(f"/institutions/products/{draft.pk}/").status_code == 404
    compare = client.get("/institutions/compare/", {"ids": [a.pk, b.pk]})
    assert compare.status_code == 200 and "e抵快贷" in compare.content.decode()


def test_favourites_need_login(client, login, enterprise_admin, bank_officer, make_live):
    product = make_live(bank_officer)
    response = client.post(f"/institutions/products/{product.pk}/favourite/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Favourite.objects.exists()
    login(enterprise_admin)
    client.post(f"/institutions/products/{product.pk}/favourite/")
    assert Favourite.objects.filter(user=enterprise_admin, product=product).exists()
    assert "经营快贷" in client.get("/institutions/favourites/").content.decode()
    client.post(f"/institutions/products/{product.pk}/favourite/")
    assert not Favourite.objects.exists()


def _form_data(**overrides):
    data = content(**overrides)
    data["materials"] = "\n".join(data["materials"])
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_creates_edits_and_submits_a_product_through_pages(client, login, bank_officer, operator):
    login(bank_officer)
    response = client.post("/institutions/manage/products/new/", _form_data())
    product = Product.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/manage/products/{product.pk}/")
    # min > max comes back as a field message and changes nothing
    response = client.post(
        f"/institutions/manage/products/{product.pk}/edit/", _form_data(rate_min="9", rate_max="4")
    )
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    client.post(f"/institutions/manage/products/{product.pk}/submit/")
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING_REVIEW
    # operator approves through the page
    client.logout()
    login(operator)
    assert "经营快贷" in client.get("/institutions/review/").content.decode()
    client.post(f"/institutions/review/{product.pk}/approve/")
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE
    # approving again is refused without a state change (message, redirect)
    response = client.post(f"/institutions/review/{product.pk}/approve/")
    assert response.status_code == 302
    assert client.get(f"/institutions/manage/products/{product.pk}/revisions/").status_code == 200


def test_revision_diff_page_shows_both_versions(client, login, bank_officer, make_live):
    product = make_live(bank_officer)
    services.update_product(actor=bank_officer, product_id=product.pk, content=content(name="经营快贷二代"))
    login(bank_officer)
    body = client.get(
        f"/institutions/manage/products/{product.pk}/revisions/", {"a": 1, "b": 2}
    ).content.decode()
    assert "经营快贷二代" in body and "table-warning" in body


def test_other_institutions_and_wrong_roles_are_kept_out(client, login, bank_officer, other_officer,
                                                          enterprise_admin, make_live):  # fmt: skip
    product = make_live(bank_officer)
    login(other_officer)
    assert client.get(f"/institutions/manage/products/{product.pk}/").status_code == 404
    assert client.get(f"/institutions/manage/products/{product.pk}/edit/").status_code == 404
    assert client.post(f"/institutions/manage/products/{product.pk}/offline/").status_code == 404
    assert client.get(f"/institutions/manage/products/{product.pk}/revisions/").status_code == 404
    assert client.post(f"/institutions/review/{product.pk}/approve/").status_code == 403
    assert client.get("/institutions/ranking/").status_code == 403
    assert client.get("/institutions/staff/").status_code == 403
    client.logout()
    login(enterprise_admin)
    assert client.get("/institutions/manage/products/new/").status_code == 403
    assert client.get("/institutions/onboarding/").status_code == 403
    client.logout()
    assert client.get("/institutions/manage/products/").status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE


def test_offline_and_online_through_pages(client, login, bank_officer, make_live):
    product = make_live(bank_officer)
    login(bank_officer)
    client.post(f"/institutions/manage/products/{product.pk}/offline/", {"reason": "额度用完"})
    product.refresh_from_db()
    assert product.status == ProductStatus.OFFLINE
    client.post(f"/institutions/manage/products/{product.pk}/offline/")  # illegal: stays offline
    product.refresh_from_db()
    assert product.status == ProductStatus.OFFLINE
    client.post(f"/institutions/manage/products/{product.pk}/online/")
    product.refresh_from_db()
    assert product.status == ProductStatus.LIVE


def test_operator_ranking_page_with_weights_pins_and_chart(client, login, operator, bank_officer, make_live):
    product = make_live(bank_officer)
    login(operator)
    response = client.get("/institutions/ranking/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-chart="ranking-chart"' in body and "经营快贷" in body
    weights = {"weight_rate": 50, "weight_response": 10, "weight_recency": 10, "weight_applications": 10,
               "weight_rating": 10, "weight_completeness": 10}  # fmt: skip
    assert client.post("/institutions/ranking/", weights).status_code == 302
    client.post(f"/institutions/ranking/{product.pk}/pin/", {"pinned": "1"})
    product.refresh_from_db()
    assert product.pinned
    bad = client.post("/institutions/ranking/", {**weights, "weight_rate": -1})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()


def test_operator_onboards_through_the_page_and_sees_the_password_once(client, login, operator):
    login(operator)
    data = {
        "name": "大庆银行股份有限公司", "short_name": "大庆银行", "institution_type": "banking",
        "institution_subtype": "bank", "licence_number": "B0287H223060001", "region_code": "230602",
        "service_regions": ["230600"], "contact_name": "王芳", "contact_phone": "0459-4600000",
        "admin_username": "dqb_admin", "admin_full_name": "孙强", "admin_mobile": "13904597777",
    }  # fmt: skip
    response = client.post("/institutions/onboarding/", data)
    assert response.status_code == 200
    assert response.context["password"]
    assert InstitutionProfile.objects.get().organisation.name == "大庆银行股份有限公司"
    listing = client.get("/institutions/onboarding/").content.decode()
    assert "B0287H223060001" in listing and response.context["password"] not in listing


def test_institution_admin_manages_staff_through_pages(
    client, login, bank_admin, bank_officer, other_officer
):
    login(bank_admin)
    client.post("/institutions/staff/", {"add_branch": "1", "name": "萨尔图支行", "region_code": "230602"})
    branch = bank_admin.memberships.first().organisation.branches.get()
    response = client.post(
        "/institutions/staff/",
        {"add_officer": "1", "username": "officer9", "full_name": "钱多", "branch_id": branch.pk},
    )
    assert response.status_code == 200 and response.context["password"]
    client.post(f"/institutions/staff/{bank_officer.pk}/branch/", {"branch_id": branch.pk})
    client.post(f"/institutions/staff/{bank_officer.pk}/active/", {"active": "0"})
    bank_officer.refresh_from_db()
    assert not bank_officer.is_active
    assert client.post(f"/institutions/staff/{other_officer.pk}/active/", {"active": "0"}).status_code == 404
    other_officer.refresh_from_db()
    assert other_officer.is_active
