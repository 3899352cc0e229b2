"""Loan applications: submission with the data grant, every transition allowed and forbidden,
coded rejections, time limits, scoping."""

from decimal import Decimal

import pytest
from django.apps import apps

from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.financing import selectors, services
from dfsp.financing.models import Application, ApplicationEvent
from dfsp.financing.states import APPLICATION_TRANSITIONS, ApplicationStatus
from dfsp.financing.tests.helpers import apply, make_live_product

pytestmark = pytest.mark.django_db
A = ApplicationStatus


def grants(**filters):
    return apps.get_model("consent", "Grant").objects.filter(**filters)


def approve(officer, application, **overrides):
    terms = {
        "amount": Decimal("500000"),
        "rate": Decimal("3.85"),
        "term_months": 12,
        "conditions": "按月付息",
    }
    terms.update(overrides)
    return services.approve_application(actor=officer, application_id=application.pk, **terms)


def to_status(status, officer, enterprise_admin, application):
    """Drive an application into ``status`` through the services."""
    pk = application.pk
    if status in (A.ACCEPTED, A.APPROVED, A.DISBURSED):
        services.accept_application(actor=officer, application_id=pk)
    if status in (A.APPROVED, A.DISBURSED):
        approve(officer, application)
    if status == A.DISBURSED:
        services.mark_disbursed(actor=officer, application_id=pk)
    if status == A.RETURNED:
        services.return_application(actor=officer, application_id=pk, request_text="补充近三月流水")
    if status == A.REJECTED:
        services.reject_application(
            actor=officer, application_id=pk, reason_code="cash_flow", text="流水不足"
        )
    if status == A.WITHDRAWN:
        services.withdraw_application(actor=enterprise_admin, application_id=pk)
    return Application.objects.get(pk=pk)


def test_submission_grants_exactly_the_product_scopes_for_this_application(certified_admin, product):
    before = product.applications_count
    application = apply(certified_admin, product, purpose="采购聚丙烯原料")

    assert application.status == A.SUBMITTED
    assert application.institution_id == product.organisation_id
    assert application.current_step == "accept" and application.due_at > application.submitted_at
    grant = grants(purpose_type="application", purpose_id=str(application.pk)).get()
    assert sorted(grant.scope_codes) == sorted(product.data_scopes)
    assert grant.institution_id == product.organisation_id
    assert application.consent_grant_id == grant.pk
    assert application.events.get().action == "submitted"
    product.refresh_from_db()
    assert product.applications_count == before + 1  # feeds the supermarket's popularity order


def test_withdrawal_ends_the_grant(certified_admin, product):
    application = apply(certified_admin, product)
    services.withdraw_application(actor=certified_admin, application_id=application.pk)
    grant = grants(purpose_id=str(application.pk)).get()
    assert grant.status == "ended"


@pytest.mark.parametrize("end", [A.REJECTED, A.DISBURSED])
def test_rejection_and_disbursement_end_the_grant(end, certified_admin, loan_officer, product):
    application = to_status(end, loan_officer, certified_admin, apply(certified_admin, product))
    assert application.status == end
    assert grants(purpose_id=str(application.pk)).get().status == "ended"


def test_uncertified_enterprise_is_refused_and_nothing_is_stored(enterprise_admin, product):
    with pytest.raises(AccessDenied) as refused:
        services.preview_application(actor=enterprise_admin, product_id=product.pk)
    assert refused.value.code == "enterprise_not_certified"
    with pytest.raises(AccessDenied):
        services.submit_application(
            actor=enterprise_admin, product_id=product.pk, amount="500000", term_months=12, purpose="x"
        )
    assert not Application.objects.exists() and not grants().exists()


def test_offline_product_is_refused(certified_admin, loan_officer, product):
    preview = services.preview_application(actor=certified_admin, product_id=product.pk)
    from dfsp.institutions import services as institution_services

    institution_services.take_product_offline(actor=loan_officer, product_id=product.pk)
    with pytest.raises(NotFound) as refused:
        services.submit_application(
            actor=certified_admin,
            product_id=product.pk,
            amount="500000",
            term_months=12,
            purpose="x",
            number=preview["number"],
            shown_text_hash=preview["text_hash"],
            confirmed=True,
        )
    assert refused.value.code == "product_not_live"
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("amount", "term", "code"),
    [
        ("99999.99", 12, "amount_out_of_range"),  # product minimum is 10 万元
        ("3000000.01", 12, "amount_out_of_range"),  # maximum 300 万元
        ("500000", 2, "term_out_of_range"),
        ("500000", 37, "term_out_of_range"),
        ("abc", 12, "amount_out_of_range"),
    ],
)
def test_out_of_range_is_400_and_nothing_changed(amount, term, code, certified_admin, product):
    with pytest.raises(ValidationFailed) as refused:
        apply(certified_admin, product, amount=amount, term_months=term)
    assert refused.value.code == code
    assert not Application.objects.exists() and not grants().exists()


def test_limits_are_in_ten_thousand_yuan(certified_admin, product):
    assert apply(certified_admin, product, amount="3000000").amount == Decimal("3000000.00")


def test_second_open_application_for_the_same_product_is_409(certified_admin, product):
    apply(certified_admin, product)
    with pytest.raises(Conflict) as refused:
        apply(certified_admin, product)
    assert refused.value.code == "duplicate_open_application"
    assert Application.objects.count() == 1 and grants().count() == 1


def test_unconfirmed_or_changed_consent_text_stores_nothing(certified_admin, product):
    with pytest.raises(ValidationFailed):
        apply(certified_admin, product, confirmed=False)
    preview = services.preview_application(actor=certified_admin, product_id=product.pk)
    with pytest.raises(ValidationFailed) as refused:
        services.submit_application(
            actor=certified_admin,
            product_id=product.pk,
            amount="500000",
            term_months=12,
            purpose="x",
            number=preview["number"],
            shown_text_hash="0" * 64,
            confirmed=True,
        )
    assert refused.value.code == "consent_text_changed"
    assert not Application.objects.exists() and not grants().exists()


ALL = list(A)


@pytest.mark.parametrize("start", [A.SUBMITTED, A.ACCEPTED, A.RETURNED, A.APPROVED, A.REJECTED, A.WITHDRAWN])
@pytest.mark.parametrize("target", [A.ACCEPTED, A.APPROVED, A.REJECTED, A.RETURNED, A.WITHDRAWN, A.DISBURSED])
def test_transition_table_is_enforced(start, target, certified_admin, loan_officer, product):
    application = to_status(start, loan_officer, certified_admin, apply(certified_admin, product))
    pk = application.pk
    moves = {
        A.ACCEPTED: lambda: services.accept_application(actor=loan_officer, application_id=pk),
        A.APPROVED: lambda: approve(loan_officer, application),
        A.REJECTED: lambda: services.reject_application(
            actor=loan_officer, application_id=pk, reason_code="other", text="不符合"
        ),
        A.RETURNED: lambda: services.return_application(
            actor=loan_officer, application_id=pk, request_text="补"
        ),
        A.WITHDRAWN: lambda: services.withdraw_application(actor=certified_admin, application_id=pk),
        A.DISBURSED: lambda: services.mark_disbursed(actor=loan_officer, application_id=pk),
    }
    events_before = ApplicationEvent.objects.count()
    if target in APPLICATION_TRANSITIONS[start]:
        moves[target]()
        assert Application.objects.get(pk=pk).status == target
        assert ApplicationEvent.objects.count() == events_before + 1
    else:
        with pytest.raises(InvalidTransition):
            moves[target]()
        assert Application.objects.get(pk=pk).status == start
        assert ApplicationEvent.objects.count() == events_before


@pytest.mark.parametrize("returned_at", [A.SUBMITTED, A.ACCEPTED])
def test_returned_application_resumes_where_it_stopped(returned_at, certified_admin, loan_officer, product):
    application = to_status(returned_at, loan_officer, certified_admin, apply(certified_admin, product))
    services.return_application(actor=loan_officer, application_id=application.pk, request_text="补充流水")
    application.refresh_from_db()
    assert application.returned_from == returned_at and application.current_step == ""
    with pytest.raises(ValidationFailed):
        services.resubmit_application(actor=certified_admin, application_id=application.pk, text="")
    services.resubmit_application(actor=certified_admin, application_id=application.pk, text="已上传流水")
    application.refresh_from_db()
    assert application.status == returned_at
    assert application.current_step == ("accept" if returned_at == A.SUBMITTED else "decide")


def test_rejection_needs_a_known_reason_code_and_text(certified_admin, loan_officer, product):
    application = apply(certified_admin, product)
    for code, text, expected in [
        ("", "说明", "reason_code_required"),
        ("no_such_code", "说明", "unknown_reason_code"),
        ("cash_flow", " ", "validation_error"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            services.reject_application(
                actor=loan_officer, application_id=application.pk, reason_code=code, text=text
            )
        assert refused.value.code == expected
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_approval_terms_are_checked_against_the_product(certified_admin, loan_officer, product):
    application = to_status(A.ACCEPTED, loan_officer, certified_admin, apply(certified_admin, product))
    for overrides, code in [
        ({"amount": Decimal("3000000.01")}, "amount_out_of_range"),
        ({"rate": Decimal("4.36")}, "rate_out_of_range"),
        ({"term_months": 40}, "term_out_of_range"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            approve(loan_officer, application, **overrides)
        assert refused.value.code == code
    approved = approve(loan_officer, application, amount=Decimal("2800000"))
    assert approved.approved_amount == Decimal("2800000") and approved.current_step == "disburse"


def test_another_institution_cannot_see_or_move_the_application(
    certified_admin, other_officer, other_enterprise_admin, product
):
    application = apply(certified_admin, product)
    with pytest.raises(NotFound):
        services.accept_application(actor=other_officer, application_id=application.pk)
    with pytest.raises(NotFound):
        selectors.get_application_for(actor=other_officer, application_id=application.pk)
    with pytest.raises(NotFound):
        selectors.get_application_for(actor=other_enterprise_admin, application_id=application.pk)
    with pytest.raises(NotFound):
        services.withdraw_application(actor=other_enterprise_admin, application_id=application.pk)
    assert Application.objects.get(pk=application.pk).status == A.SUBMITTED


def test_wrong_roles_are_refused(certified_admin, loan_officer, product, regulator):
    application = apply(certified_admin, product)
    with pytest.raises(AccessDenied):
        services.accept_application(actor=certified_admin, application_id=application.pk)
    with pytest.raises(AccessDenied):
        services.withdraw_application(actor=loan_officer, application_id=application.pk)
    with pytest.raises(AccessDenied):
        services.accept_application(actor=regulator, application_id=application.pk)
    assert selectors.get_application_for(actor=regulator, application_id=application.pk) == application


def test_disbursement_only_from_approved_by_the_same_institution(
    certified_admin, loan_officer, other_officer, product
):
    application = to_status(A.APPROVED, loan_officer, certified_admin, apply(certified_admin, product))
    with pytest.raises(NotFound):
        services.mark_disbursed(actor=other_officer, application_id=application.pk)
    disbursed = services.mark_disbursed(actor=loan_officer, application_id=application.pk)
    assert disbursed.status == A.DISBURSED and disbursed.current_step == "" and disbursed.due_at is None
    assert disbursed.events.last().details["step"] == "disburse"


def test_reapplication_after_rejection_links_the_previous(certified_admin, loan_officer, product):
    first = to_status(A.REJECTED, loan_officer, certified_admin, apply(certified_admin, product))
    second = apply(certified_admin, product, previous_id=first.pk)
    assert second.previous == first and second.status == A.SUBMITTED


def test_events_record_whether_each_step_ended_on_time(certified_admin, loan_officer, product):
    application = to_status(A.APPROVED, loan_officer, certified_admin, apply(certified_admin, product))
    details = {e.action: e.details for e in application.events.all()}
    assert details["accepted"]["step"] == "accept" and details["accepted"]["on_time"] is True
    assert details["approved"]["step"] == "decide" and details["approved"]["working_days"] >= 0
    late = selectors.late_applications()
    assert application not in late


def test_enterprise_user_cannot_sign_the_grant_but_may_apply_without_scopes(
    certified_admin, loan_officer, operator_user
):
    from dfsp.accounts.selectors import organisation_of
    from dfsp.accounts.tests.factories import member

    user = member("enterprise_user", organisation=organisation_of(certified_admin), username="ent_user_t")
    with_scopes = make_live_product(loan_officer, operator_user)
    with pytest.raises(AccessDenied) as refused:
        services.preview_application(actor=user, product_id=with_scopes.pk)
    assert refused.value.code == "consent_signer_required"
    no_scopes = make_live_product(loan_officer, operator_user, name="抵押贷", data_scopes=[])
    assert apply(user, no_scopes).status == A.SUBMITTED
