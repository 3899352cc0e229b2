import pytest

from dfsp.accounts.roles import OrganisationKind
from dfsp.accounts.tests.factories import OrganisationFactory
from dfsp.core.errors import AccessDenied, InvalidTransition, NotFound
from dfsp.portal import selectors, services
from dfsp.portal.models import FaqPage
from dfsp.portal.selectors import compute_data_overview
from dfsp.portal.states import QuestionStatus

pytestmark = pytest.mark.django_db


def test_question_is_public_only_after_moderation(client, login, enterprise_admin, operator_user):
    login(enterprise_admin)
    response = client.post(
        "/questions/ask/", {"title": "贴息怎么申请<script>x()</script>", "body": "请问流程"}
    )
    assert response.status_code == 302
    question = selectors.questions_of(enterprise_admin).get()
    assert "<script>" not in question.title
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    services.answer_question(actor=operator_user, question_id=question.pk, answer="在平台在线提交即可")
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    services.moderate_question(moderator=operator_user, question_id=question.pk, publish=True)
    assert client.get(f"/questions/{question.pk}/").status_code == 200


def test_institution_answers_only_questions_addressed_to_it(enterprise_admin, loan_officer):
    own = loan_officer.memberships.first().organisation
    other = OrganisationFactory(institution=True)
    mine = services.ask_question(asker=enterprise_admin, title="利率多少", body="请问", institution=own)
    theirs = services.ask_question(asker=enterprise_admin, title="额度多少", body="请问", institution=other)
    services.answer_question(actor=loan_officer, question_id=mine.pk, answer="年化3.8%起")
    with pytest.raises(NotFound):
        services.answer_question(actor=loan_officer, question_id=theirs.pk, answer="x")
    with pytest.raises(AccessDenied):
        services.moderate_question(moderator=loan_officer, question_id=mine.pk, publish=True)


def test_rejected_question_cannot_be_published(enterprise_admin, operator_user):
    question = services.ask_question(asker=enterprise_admin, title="问题", body="内容")
    services.moderate_question(moderator=operator_user, question_id=question.pk, publish=False)
    with pytest.raises(InvalidTransition):
        services.moderate_question(moderator=operator_user, question_id=question.pk, publish=True)


def test_promoted_answer_becomes_a_draft_faq_entry(client, enterprise_admin, operator_user):
    question = services.ask_question(asker=enterprise_admin, title="什么是信用贷款", body="请解释")
    services.answer_question(actor=operator_user, question_id=question.pk, answer="无需抵押的贷款")
    services.moderate_question(moderator=operator_user, question_id=question.pk, publish=True)
    page = services.promote_to_faq(actor=operator_user, question_id=question.pk)
    assert isinstance(page, FaqPage) and not page.live
    assert client.get(page.get_url() or "/faq/x/").status_code == 404


def test_question_handling_pages_need_roles(client, login, enterprise_admin):
    login(enterprise_admin)
    assert client.get("/questions/manage/").status_code == 403


def test_data_overview_equals_database_counts_with_small_cells_suppressed(client):
    # given 6 enterprises in 萨尔图区, 2 in 龙凤区 and 5 banks
    for _ in range(6):
        OrganisationFactory(region_code="230602")
    for _ in range(2):
        OrganisationFactory(region_code="230603")
    for _ in range(5):
        OrganisationFactory(institution=True)
    from django.apps import apps

    organisations = apps.get_model("accounts", "Organisation").objects
    overview = compute_data_overview()
    totals = {t["key"]: t["value"] for t in overview["totals"]}
    enterprises = organisations.filter(kind=OrganisationKind.ENTERPRISE).count()
    assert totals["enterprises"] == enterprises
    assert totals["institutions"] == organisations.filter(kind=OrganisationKind.INSTITUTION).count()
    districts = {c["label"]: c["value"] for c in overview["series"]["enterprises_by_district"]}
    assert districts["萨尔图区"] == organisations.filter(kind="enterprise", region_code="230602").count()
    assert districts["龙凤区"] is None
    services.refresh_data_overview()
    body = client.get("/data-overview/").content.decode()
    assert f'data-total="enterprises">{enterprises}<' in body


def test_question_status_labels_are_complete():
    assert set(QuestionStatus.values) == {"pending", "answered", "published", "rejected"}
