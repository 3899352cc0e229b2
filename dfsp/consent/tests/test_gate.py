import itertools
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dfsp.accounts.tests.factories import OrganisationFactory
from dfsp.consent import services
from dfsp.consent.gate import GateRefused, read_credit_profile
from dfsp.consent.models import CallLog, Grant
from dfsp.consent.tests.conftest import stub_profile


@pytest.fixture(autouse=True)
def _standards(standards):
    pass


def read(actor, uscc, scopes=("registration", "tax"), purpose_type="demand", purpose_id="D-1", **kwargs):
    return read_credit_profile(
        actor=actor,
        uscc=uscc,
        elements_or_scopes=list(scopes),
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        provider=stub_profile,
        **kwargs,
    )


def test_granted_read_returns_only_granted_scopes_masked_and_is_logged(sign, loan_officer, enterprise):
    grant = sign(scopes=("registration", "tax"), query_limit=5)
    profile = read(loan_officer, enterprise.uscc)
    assert [s.category for s in profile.sections] == ["registration", "tax"]
    registration = profile.sections[0].records[0]["values"]
    assert registration["legal_rep_name"] == "王**" and registration["legal_rep_id"].startswith("230602****")
    assert registration["legal_rep_mobile"] == "138****0001"
    tax_periods = [r["period"] for r in profile.sections[1].records]
    assert "2001-01" not in tax_periods and len(tax_periods) == 1  # 24 months back only
    assert profile.remaining == 4
    log = CallLog.objects.get(pk=profile.call_log_id)
    assert (log.allowed, log.reason, log.grant_id, log.enterprise_id) == (
        True,
        "allowed",
        grant.pk,
        enterprise.pk,
    )
    assert log.username == loan_officer.username and log.returned == ["registration", "tax"]


def test_element_request_returns_only_that_element(sign, loan_officer, enterprise):
    sign(scopes=("tax",))
    profile = read(loan_officer, enterprise.uscc, scopes=["tax_grade"])
    assert all(set(r["values"]) == {"tax_grade"} for r in profile.sections[0].records)


CASES = {
    # name: (how to prepare, who reads, read arguments, expected reason code)
    "expired": "consent_grant_expired",
    "withdrawn": "consent_grant_withdrawn",
    "wrong_purpose": "consent_no_grant",
    "wrong_institution": "consent_no_grant",
    "wrong_enterprise": "consent_no_grant",
    "unknown_enterprise": "consent_no_grant",
    "partial_scope": "consent_scope_not_granted",
    "limit_reached": "consent_grant_exhausted",
    "purpose_ended": "consent_grant_ended",
    "unknown_scope": "consent_unknown_scope",
    "enterprise_reader": "consent_role_not_permitted",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_reads_are_logged_and_return_nothing(
    case, sign, loan_officer, other_bank_officer, enterprise, enterprise_admin, other_enterprise_admin
):
    # given a grant of registration+tax for demand D-1, limit 1
    grant = sign(query_limit=1)
    actor, uscc, kwargs = loan_officer, enterprise.uscc, {}
    if case == "expired":
        kwargs["_now"] = grant.valid_until + timedelta(seconds=1)
    elif case == "withdrawn":
        services.withdraw_grant(actor=enterprise_admin, grant_id=grant.pk)
    elif case == "wrong_purpose":
        kwargs["purpose_id"] = "D-2"
    elif case == "wrong_institution":
        actor = other_bank_officer
    elif case == "wrong_enterprise":
        from dfsp.accounts.selectors import organisation_of

        uscc = organisation_of(other_enterprise_admin).uscc
    elif case == "unknown_enterprise":
        uscc = OrganisationFactory.build().uscc
    elif case == "partial_scope":
        kwargs["scopes"] = ["registration", "tax", "judicial"]
    elif case == "limit_reached":
        read(loan_officer, uscc)
    elif case == "purpose_ended":
        services.end_grants_for_purpose(purpose_type="demand", purpose_id="D-1")
    elif case == "unknown_scope":
        kwargs["scopes"] = ["registration", "all_the_data"]
    elif case == "enterprise_reader":
        actor = enterprise_admin
    before = CallLog.objects.count()
    now = kwargs.pop("_now", None)
    # when
    with pytest.raises(GateRefused) as refused:
        if now:
            with mock.patch("django.utils.timezone.now", return_value=now):
                read(actor, uscc, **kwargs)
        else:
            read(actor, uscc, **kwargs)
    # then
    assert refused.value.code == CASES[case] and refused.value.status == 403
    log = CallLog.objects.order_by("-pk").first()
    assert CallLog.objects.count() == before + 1
    assert (log.allowed, log.reason, log.returned) == (False, CASES[case], [])
    if uscc == enterprise.uscc:  # the enterprise sees every attempt on its data, refused ones too
        assert log.enterprise_id == enterprise.pk


def test_withdrawal_is_effective_for_the_very_next_read(sign, loan_officer, enterprise, enterprise_admin):
    grant = sign()
    read(loan_officer, enterprise.uscc)
    services.withdraw_grant(actor=enterprise_admin, grant_id=grant.pk)
    with pytest.raises(GateRefused):
        read(loan_officer, enterprise.uscc)


def test_query_limit_is_counted_and_exhausts_the_grant(sign, loan_officer, enterprise):
    grant = sign(query_limit=2)
    read(loan_officer, enterprise.uscc)
    read(loan_officer, enterprise.uscc)
    grant.refresh_from_db()
    assert (grant.query_count, grant.status) == (2, "exhausted")


def test_supervisors_read_under_their_legal_basis_and_are_logged(regulator, operator_user, enterprise):
    for actor in (regulator, operator_user):
        profile = read(actor, enterprise.uscc, purpose_type="", purpose_id="")
        assert profile.grant_id is None
        log = CallLog.objects.get(pk=profile.call_log_id)
        assert log.allowed and log.reason == "legal_basis"
    # the regulator sees level-2 values in clear; an institution does not (masking by role)
    assert (
        read(regulator, enterprise.uscc, purpose_type="", purpose_id="")
        .sections[0]
        .records[0]["values"]["legal_rep_name"]
        == "王**"
    )


def test_real_datahub_profile_through_the_gate(sign, loan_officer, enterprise):
    """Without the stub: the real datahub service (no records loaded -> granted read, empty sections)."""
    sign()
    profile = read_credit_profile(
        actor=loan_officer,
        uscc=enterprise.uscc,
        elements_or_scopes=["registration"],
        purpose_type="demand",
        purpose_id="D-1",
    )
    assert profile.sections == [] and profile.grant_id is not None


def test_call_log_is_append_only(sign, loan_officer, enterprise):
    sign()
    log = CallLog.objects.get(pk=read(loan_officer, enterprise.uscc).call_log_id)
    with pytest.raises(ValueError):
        log.save()
    with pytest.raises(ValueError):
        log.delete()
    with pytest.raises(ValueError):
        CallLog.objects.filter(pk=log.pk).update(reason="x")
    table = CallLog._meta.db_table
    for sql in (f"UPDATE {table} SET reason = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert CallLog.objects.get(pk=log.pk).reason == "allowed"


PURPOSE_NUMBERS = itertools.count(1)  # unique across the machine's runs (id(self) can repeat)


class GateMachine(RuleBasedStateMachine):
    """Grant / withdraw / end the purpose / expire (time travel and the expiry task) / query, in any
    order: a read is allowed exactly while the grant is active, unexpired and under its limit."""

    enterprise_admin = loan_officer = uscc = sign = None
    seen: set[str] = set()  # outcomes the runs reached (checked after the runs)

    @initialize()
    def start(self):
        self.offset = timedelta(0)
        # grant id -> {"ended": None | final status, "limit": int | None, "count": int}
        self.grants: dict[int, dict] = {}
        self.counter = 0

    def now(self):
        return timezone.localtime() + self.offset

    def _at_now(self):
        real_now = timezone.now
        offset = self.offset
        return mock.patch("django.utils.timezone.now", side_effect=lambda: real_now() + offset)

    def _open(self):
        return sorted(pk for pk, g in self.grants.items() if g["ended"] is None)

    # The rules draw a grant and call these steps; the scripted run below calls them directly.
    def add_grant(self, days: int, limit: int | None) -> int:
        with self._at_now():
            grant = self.sign(
                purpose_id=f"M-{next(PURPOSE_NUMBERS)}",
                valid_until=self.now() + timedelta(days=days),
                query_limit=limit,
            )
        self.grants[grant.pk] = {"ended": None, "limit": limit, "count": 0}
        return grant.pk

    def withdraw_one(self, pk: int) -> None:
        with self._at_now():
            services.withdraw_grant(actor=self.enterprise_admin, grant_id=pk)
        self.grants[pk]["ended"] = "withdrawn"

    def end_one(self, pk: int) -> None:
        with self._at_now():
            services.end_grants_for_purpose(
                purpose_type="demand", purpose_id=Grant.objects.get(pk=pk).purpose_id
            )
        self.grants[pk]["ended"] = "ended"

    def query_one(self, pk: int) -> None:
        model = self.grants[pk]
        grant = Grant.objects.get(pk=pk)
        expired = grant.valid_until <= timezone.now() + self.offset
        with self._at_now():
            try:
                read(self.loan_officer, self.uscc, purpose_id=grant.purpose_id)
                allowed = True
            except GateRefused:
                allowed = False
        assert allowed == (model["ended"] is None and not expired)
        if allowed:
            model["count"] += 1
            if model["limit"] is not None and model["count"] >= model["limit"]:
                model["ended"] = "exhausted"
        GateMachine.seen.add("allowed" if allowed else ("refused_expired" if expired else "refused_ended"))
        log = CallLog.objects.order_by("-pk").first()  # every decision leaves its call log
        assert (log.allowed, log.purpose_id) == (allowed, grant.purpose_id)

    @rule(days=st.integers(min_value=1, max_value=10), limit=st.sampled_from([None, 1, 2, 3]))
    def grant(self, days, limit):
        self.add_grant(days, limit)

    @precondition(lambda self: self._open())
    @rule(data=st.data())
    def withdraw(self, data):
        self.withdraw_one(data.draw(st.sampled_from(self._open())))

    @precondition(lambda self: self._open())
    @rule(data=st.data())
    def end_purpose(self, data):
        self.end_one(data.draw(st.sampled_from(self._open())))

    @rule(days=st.integers(min_value=1, max_value=15))
    def travel(self, days):
        self.offset += timedelta(days=days)

    @rule()
    def run_expiry_task(self):
        with self._at_now():
            services.expire_grants()
        now = timezone.now() + self.offset
        for pk in self._open():
            if Grant.objects.get(pk=pk).valid_until <= now:
                self.grants[pk]["ended"] = "expired"

    @precondition(lambda self: self.grants)
    @rule(data=st.data())
    def query(self, data):
        self.query_one(data.draw(st.sampled_from(sorted(self.grants))))

    @invariant()
    def database_agrees_with_the_model(self):
        for pk, model in self.grants.items():
            grant = Grant.objects.get(pk=pk)
            assert grant.query_count == model["count"]
            assert grant.status == (model["ended"] or "active")
            if model["ended"]:
                GateMachine.seen.add(model["ended"])


def test_no_read_after_withdrawal_or_expiry(sign, enterprise_admin, loan_officer, enterprise):
    GateMachine.sign, GateMachine.enterprise_admin = staticmethod(sign), enterprise_admin
    GateMachine.loan_officer, GateMachine.uscc = loan_officer, enterprise.uscc
    GateMachine.seen = set()
    # A scripted run through every ending first, checked by the same model and invariant ...
    machine = GateMachine()
    machine.start()
    check = machine.database_agrees_with_the_model
    exhausting = machine.add_grant(5, 1)
    machine.query_one(exhausting)
    machine.query_one(exhausting)  # refused: the limit is used up
    withdrawn = machine.add_grant(10, None)
    machine.withdraw_one(withdrawn)
    machine.query_one(withdrawn)
    ended = machine.add_grant(10, 3)
    machine.end_one(ended)
    machine.query_one(ended)
    expiring = machine.add_grant(2, None)
    machine.query_one(expiring)
    check()
    machine.travel(3)
    machine.query_one(expiring)  # refused before the expiry task has run
    machine.run_expiry_task()
    machine.query_one(expiring)
    check()
    assert GateMachine.seen == {
        "allowed",
        "refused_expired",
        "refused_ended",
        "withdrawn",
        "ended",
        "exhausted",
        "expired",
    }
    # ... then random sequences of the same steps.
    GateMachine.TestCase.settings = settings(
        max_examples=30,
        stateful_step_count=20,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    GateMachine.TestCase().runTest()
