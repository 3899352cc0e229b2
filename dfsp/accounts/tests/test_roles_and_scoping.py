"""三权分立 and organisation scoping."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from dfsp.accounts import selectors, services
from dfsp.accounts.models import Membership
from dfsp.accounts.tests.factories import OrganisationFactory, UserFactory, member
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(db):
    return OrganisationFactory(operator=True)


@pytest.mark.parametrize("first", ["system_admin", "security_admin", "audit_admin"])
@pytest.mark.parametrize("second", ["system_admin", "security_admin", "audit_admin", "operator"])
def test_an_admin_role_holder_can_never_hold_another_role(platform, first, second):
    user = UserFactory()
    services._grant(actor=None, user=user, organisation=platform, role=first)
    with pytest.raises(Conflict):
        services._grant(actor=None, user=user, organisation=platform, role=second)
    assert list(user.memberships.values_list("role", flat=True)) == [first]


def test_a_business_role_holder_cannot_become_an_admin(platform):
    user = UserFactory()
    services._grant(actor=None, user=user, organisation=platform, role="operator")
    with pytest.raises(Conflict):
        services._grant(actor=None, user=user, organisation=platform, role="audit_admin")


def test_the_database_refuses_two_admin_roles_for_one_user(platform):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=platform, role="system_admin")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=platform, role="audit_admin")


def test_security_admin_cannot_grant_admin_roles(security_admin, platform):
    with pytest.raises(AccessDenied):
        services.grant_role(
            actor=security_admin, user=UserFactory(), organisation=platform, role="system_admin"
        )


def test_system_admin_cannot_grant_roles(system_admin, platform):
    with pytest.raises(AccessDenied):
        services.grant_role(actor=system_admin, user=UserFactory(), organisation=platform, role="operator")


def test_a_role_must_fit_the_organisation_kind(security_admin):
    enterprise = OrganisationFactory()
    with pytest.raises(ValidationFailed):
        services.grant_role(
            actor=security_admin, user=UserFactory(), organisation=enterprise, role="operator"
        )


def test_a_user_belongs_to_one_organisation(security_admin):
    user = member("enterprise_user")
    with pytest.raises(Conflict):
        services.grant_role(
            actor=security_admin, user=user, organisation=OrganisationFactory(), role="enterprise_admin"
        )


def test_granting_and_revoking_are_audited(security_admin, platform):
    from dfsp.audit.models import AuditEvent

    user = UserFactory()
    services.grant_role(actor=security_admin, user=user, organisation=platform, role="operator")
    services.revoke_role(actor=security_admin, user=user, role="operator")
    events = list(
        AuditEvent.objects.filter(object_id=str(user.pk)).order_by("seq").values_list("event_type", flat=True)
    )
    assert events == ["accounts.role.granted", "accounts.role.revoked"]


def test_audit_admin_has_no_business_writes(audit_admin, platform):
    with pytest.raises(AccessDenied):
        services.create_organisation(actor=audit_admin, kind="enterprise", name="x", region_code="230602")
    with pytest.raises(AccessDenied):
        services.create_user(actor=audit_admin, username="someone", full_name="某人")
    with pytest.raises(AccessDenied):
        services.disable_user(actor=audit_admin, user=UserFactory(), reason="x")


@pytest.mark.parametrize("url_name", ["accounts:users", "accounts:organisations", "accounts:lockouts"])
def test_audit_admin_cannot_open_account_administration(client, login, audit_admin, url_name):
    login(audit_admin)
    assert client.get(reverse(url_name)).status_code == 403


def test_system_admin_cannot_read_the_audit_trail(client, login, system_admin):
    login(system_admin)
    assert client.get(reverse("audit:events")).status_code == 403


def test_enterprise_sees_only_its_own_organisation(enterprise_admin, other_enterprise_admin):
    own = selectors.organisation_of(enterprise_admin)
    other = selectors.organisation_of(other_enterprise_admin)
    assert list(selectors.list_organisations_for(enterprise_admin)) == [own]
    with pytest.raises(NotFound):
        selectors.get_organisation_for(enterprise_admin, other.pk)
    with pytest.raises(NotFound):
        selectors.get_organisation_for(enterprise_admin, 999_999)


def test_enterprise_admin_sees_only_its_members(enterprise_admin, other_enterprise_admin):
    colleague = member("enterprise_user", organisation=selectors.organisation_of(enterprise_admin))
    visible = set(selectors.list_users_for(enterprise_admin))
    assert visible == {enterprise_admin, colleague}
    with pytest.raises(NotFound):
        selectors.get_user_for(enterprise_admin, other_enterprise_admin.pk)


def test_plain_user_sees_only_themself(loan_officer, institution_admin):
    assert list(selectors.list_users_for(loan_officer)) == [loan_officer]


def test_platform_wide_roles_see_every_organisation(operator_user, regulator, enterprise_admin):
    everyone = set(selectors.list_organisations_for(operator_user))
    assert selectors.organisation_of(enterprise_admin) in everyone
    assert set(selectors.list_organisations_for(regulator)) == everyone


def test_enterprise_organisation_needs_a_valid_code(system_admin):
    with pytest.raises(ValidationFailed) as error:
        services.create_organisation(
            actor=system_admin,
            kind="enterprise",
            name="坏代码公司",
            region_code="230602",
            uscc="91230602MA1C4QY7X0",
        )
    assert "uscc" in error.value.field_errors


def test_system_admin_creates_an_organisation_through_the_page(client, login, system_admin):
    login(system_admin)
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "kind": "institution",
            "institution_subtype": "leasing",
            "name": "大庆融资租赁有限公司",
            "short_name": "",
            "region_code": "230604",
            "uscc": "",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("accounts:organisation_create"),
        {"kind": "institution", "name": "无类型", "region_code": "999999"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
