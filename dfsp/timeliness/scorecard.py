"""The public timeliness scorecard (#7.9): per institution, the figures regulators see.

Every number comes from ``financing.selectors.application_statistics(institution=…, start, end)``
(the single source of application figures) and ratings from
``postloan.selectors.institution_rating_summary`` (enterprises' stars for the institution, all
time); complaints filed against the institution in the period and the filers' satisfaction come
from ``complaints.selectors.institution_complaint_summary``. A share is shown only when its denominator reaches ``MIN_SAMPLE``; otherwise "too few"
with the count, so 1 of 1 never reads as 100 %.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.selectors import active_institutions
from dfsp.complaints.selectors import institution_complaint_summary
from dfsp.financing.selectors import application_statistics
from dfsp.postloan.selectors import institution_rating_summary

MIN_SAMPLE = 5
MIN_RATINGS = 3
PERIOD_DAYS = 365
TOP_REASONS = 3


@dataclass(frozen=True)
class Share:
    """part / whole, or None when whole < MIN_SAMPLE."""

    part: int
    whole: int
    value: float | None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 1)


def share(part: int, whole: int, minimum: int = MIN_SAMPLE) -> Share:
    return Share(part, whole, round(part / whole, 4) if whole >= minimum and whole else None)


@dataclass
class InstitutionCard:
    institution_id: int
    name: str
    applications: int
    accept_on_time: Share
    decide_on_time: Share
    approval: Share
    median_accept_days: float | None
    median_accept_hours: float | None
    median_decide_days: float | None
    median_decide_hours: float | None
    reasons: list = field(default_factory=list)
    rating: float | None = None
    rating_count: int = 0
    complaints: int = 0
    complaints_closed: int = 0
    complaint_satisfaction: float | None = None
    complaint_ratings: int = 0


def period(now=None) -> tuple[dt.datetime, dt.datetime]:
    """The last 365 days up to now, from local midnight."""
    now = now or timezone.now()
    start_day = timezone.localdate(now) - dt.timedelta(days=PERIOD_DAYS)
    start = timezone.make_aware(dt.datetime.combine(start_day, dt.time.min))
    return start, now


def _median_if_sampled(figures: dict, key: str):
    return figures[key]["median"] if figures["ended"] >= MIN_SAMPLE else None


def card_for(institution, *, start, end) -> InstitutionCard:
    stats = application_statistics(institution=institution, start=start, end=end)
    accept, decide = stats["accept"], stats["decide"]
    decided = stats["approved"] + stats["rejected"]
    rating = institution_rating_summary(institution)
    complaints = institution_complaint_summary(institution, start=start, end=end)
    return InstitutionCard(
        institution_id=institution.pk,
        name=institution.name,
        applications=stats["applications"],
        accept_on_time=share(accept["on_time"], accept["ended"]),
        decide_on_time=share(decide["on_time"], decide["ended"]),
        approval=share(stats["approved"], decided),
        median_accept_days=_median_if_sampled(accept, "working_days"),
        median_accept_hours=_median_if_sampled(accept, "hours"),
        median_decide_days=_median_if_sampled(decide, "working_days"),
        median_decide_hours=_median_if_sampled(decide, "hours"),
        reasons=stats["rejection_reasons"][:TOP_REASONS],
        rating=rating["avg"] if rating["count"] >= MIN_RATINGS else None,
        rating_count=rating["count"],
        complaints=complaints["complaints"],
        complaints_closed=complaints["closed"],
        complaint_satisfaction=complaints["satisfaction"] if complaints["rated"] >= MIN_RATINGS else None,
        complaint_ratings=complaints["rated"],
    )


def scorecard(*, now=None) -> dict:
    start, end = period(now)
    cards = [card_for(org, start=start, end=end) for org in active_institutions().order_by("name")]
    cards = [card for card in cards if card.applications or card.rating_count or card.complaints]
    return {"start": start, "end": end, "cards": cards, "min_sample": MIN_SAMPLE, "min_ratings": MIN_RATINGS}


def comparison_chart(cards: list[InstitutionCard]) -> dict:
    """ECharts option: on-time shares (accept, decide) and approval rate, institutions with enough data."""
    shown = [
        c for c in cards if any(s.value is not None for s in (c.accept_on_time, c.decide_on_time, c.approval))
    ]

    def series(name, pick):
        return {"name": name, "type": "bar", "data": [pick(c).percent for c in shown]}

    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 40, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [c.name for c in shown]},
        "series": [
            series(_("Accepted on time"), lambda c: c.accept_on_time),
            series(_("Decided on time"), lambda c: c.decide_on_time),
            series(_("Approval rate"), lambda c: c.approval),
        ],
    }
