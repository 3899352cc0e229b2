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
