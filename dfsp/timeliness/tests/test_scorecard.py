"""The public scorecard shows exactly the financing statistics, hides small samples, needs no login."""

import pytest
from django.urls import reverse

from dfsp.financing import selectors as financing_selectors
from dfsp.timeliness import scorecard

pytestmark = pytest.mark.django_db


def test_share_needs_the_minimum_sample():
    assert scorecard.share(1, 1).value is None
    assert scorecard.share(4, 5).percent == 80.0
    assert scorecard.share(0, 0).value is None


def test_scorecard_equals_the_financing_statistics(handled, bank):
    data = scorecard.scorecard()
    [card] = [c for c in data["cards"] if c.institution_id == bank.pk]
    stats = financing_selectors.application_statistics(institution=bank, start=data["start"], end=data["end"])
    assert card.applications == stats["applications"] == 5
    assert (card.accept_on_time.part, card.accept_on_time.whole) == (
        stats["accept"]["on_time"],
        stats["accept"]["ended"],
    )
    assert card.accept_on_time.value == stats["accept"]["on_time_share"] == 0.8
    assert card.median_accept_days == stats["accept"]["working_days"]["median"]
    assert card.decide_on_time.value is None  # one decision: too few to show a share
    assert card.approval.value is None and card.approval.whole == 1
    assert [r["code"] for r in card.reasons] == [r["code"] for r in stats["rejection_reasons"]]


def test_public_page_needs_no_login(client, handled, bank):
    page = client.get(reverse("timeliness:scorecard"))
    assert page.status_code == 200
    body = page.content.decode()
    assert bank.name in body and "80.0%" in body and 'id="timeliness-compare"' in body


def _complaint(bank, number, *, kind="complaint", status="submitted", satisfaction=None):
    import datetime as dt

    from django.apps import apps
    from django.utils import timezone

    return apps.get_model("complaints", "Complaint").objects.create(
        created_at=timezone.now() - dt.timedelta(days=1),  # the clock is frozen; the period ends now
        tracking_number=f"TS{number:08d}", kind=kind, subject_kind="institution", institution=bank,
        title="放款慢", content="放款比承诺晚了两周", contact_name="张三", contact_mobile="13800000000",
        status=status, satisfaction=satisfaction,
    )  # fmt: skip


def test_complaints_against_an_institution_appear_on_its_card(client, handled, bank):
    for number, satisfaction in enumerate([4, 5, 3]):
        _complaint(bank, number, status="closed", satisfaction=satisfaction)
    _complaint(bank, 10)
    _complaint(bank, 11, kind="suggestion")  # suggestions are no complaint against the bank

    [card] = [c for c in scorecard.scorecard()["cards"] if c.institution_id == bank.pk]

    assert (card.complaints, card.complaints_closed, card.complaint_ratings) == (4, 3, 3)
    assert card.complaint_satisfaction == 4.0
    body = client.get(reverse("timeliness:scorecard")).content.decode()
    assert 'data-complaints="4"' in body


def test_complaint_satisfaction_needs_enough_ratings(handled, bank):
    _complaint(bank, 1, status="closed", satisfaction=1)

    [card] = [c for c in scorecard.scorecard()["cards"] if c.institution_id == bank.pk]

    assert (card.complaints, card.complaint_ratings, card.complaint_satisfaction) == (1, 1, None)


def test_no_empty_chart_when_every_share_rests_on_too_few_cases(client, application, bank, time_machine):
    import datetime as dt

    time_machine.shift(dt.timedelta(days=1))  # the period ends now; the frozen clock stood at submission
    [card] = [c for c in scorecard.scorecard()["cards"] if c.institution_id == bank.pk]
    assert card.applications == 1 and card.accept_on_time.value is None

    body = client.get(reverse("timeliness:scorecard")).content.decode()

    assert 'id="compare-too-few"' in body and 'data-chart="timeliness-compare"' not in body
    assert f'data-institution="{bank.pk}"' in body  # the table still lists the institution


def test_the_chart_is_drawn_once_a_share_can_be_shown(client, handled, bank):
    body = client.get(reverse("timeliness:scorecard")).content.decode()
    assert 'data-chart="timeliness-compare"' in body and 'id="compare-too-few"' not in body
