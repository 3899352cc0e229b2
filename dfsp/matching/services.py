"""Writes of matching: recompute the matches of some demands, of some products, of everything.

Incremental: a demand's matches are replaced as a whole (its row against all live products), a
product's likewise (its column against all live demands); nothing else is touched. The periodic
job finds what changed since the last successful run (watermarks on demands' ``published_at`` and
products' ``updated_at``/``listed_at``), drops matches whose demand or product is no longer live,
and records a MatchRun.
"""

import time
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied
from dfsp.financing.states import DemandStatus
from dfsp.institutions.states import ProductStatus
from dfsp.matching import engine, frames, reasons
from dfsp.matching.models import Match, MatchedDemand, MatchRun

BATCH = 2000


def _pairs(demand_frame, product_frame):
    if demand_frame.is_empty() or product_frame.is_empty():
        return []
    d, p = engine.encode(demand_frame, product_frame)
    pairs = engine.eligible_pairs(d, p)
    if pairs.is_empty():
        return []
    measured = dict(
        zip(
            product_frame["product_id"].to_list(),
            product_frame["measured_response_days"].to_list(),
            strict=True,
        )
    )
    rated = dict(
        zip(product_frame["product_id"].to_list(), (product_frame["rating_count"] > 0).to_list(), strict=True)
    )
    now = timezone.now()
    return [
        Match(
            demand_id=row["demand_id"],
            product_id=row["product_id"],
            score=row["score"],
            reasons=reasons.build(
                row, measured_days=measured[row["product_id"]], rated=rated[row["product_id"]]
            ),
            computed_at=now,
        )
        for row in pairs.iter_rows(named=True)
    ]


def _mark_matched(demand_ids) -> None:
    now = timezone.now()
    existing = set(MatchedDemand.objects.filter(demand_id__in=demand_ids).values_list("demand_id", flat=True))
    MatchedDemand.objects.filter(demand_id__in=existing).update(computed_at=now)
    MatchedDemand.objects.bulk_create(
        [MatchedDemand(demand_id=pk, computed_at=now) for pk in demand_ids if pk not in existing]
    )


def recompute_demands(*, demand_ids) -> int:
    """Replace the matches of these demands (those no longer live simply lose theirs)."""
    demand_ids = sorted({int(pk) for pk in demand_ids})
    demand_frame = frames.demand_frame(demand_ids)
    matches = _pairs(demand_frame, frames.product_frame())
    with transaction.atomic():
        Match.objects.filter(demand_id__in=demand_ids).delete()
        Match.objects.bulk_create(matches, batch_size=BATCH)
        _mark_matched(demand_frame["demand_id"].to_list())
    return len(matches)


def recompute_products(*, product_ids) -> int:
    """Replace the matches of these products against every live demand."""
    product_ids = sorted({int(pk) for pk in product_ids})
    matches = _pairs(frames.demand_frame(), frames.product_frame(product_ids))
    with transaction.atomic():
        Match.objects.filter(product_id__in=product_ids).delete()
        Match.objects.bulk_create(matches, batch_size=BATCH)
    return len(matches)


def remove_stale() -> int:
    """Matches whose demand or product stopped being live (taken, expired, withdrawn, offline)."""
    stale = Match.objects.filter(
        ~Q(demand__status=DemandStatus.LIVE)
        | Q(demand__valid_until__lt=timezone.localdate())
        | ~Q(product__status=ProductStatus.LIVE)
    )
    removed, _ = stale.delete()
    return removed


def _watermarks() -> tuple[datetime | None, datetime | None]:
    demand_mark = frames.live_demands().aggregate(mark=Max("published_at"))["mark"]
    product = frames.live_products().aggregate(updated=Max("updated_at"), listed=Max("listed_at"))
    marks = [mark for mark in (product["updated"], product["listed"]) if mark is not None]
    return demand_mark, max(marks, default=None)


def _finish(run: MatchRun, started: float, **counts) -> MatchRun:
    for name, value in counts.items():
        setattr(run, name, value)
    run.succeeded = True
    run.finished_at = timezone.now()
    run.seconds = round(time.perf_counter() - started, 3)
    run.save()
    return run


def run_incremental(*, trigger: str = MatchRun.Trigger.PERIODIC) -> MatchRun:
    """Match what changed since the last successful run (everything on the first run)."""
    started = time.perf_counter()
    previous = (
        MatchRun.objects.filter(succeeded=True)
        .exclude(trigger=MatchRun.Trigger.ON_DEMAND)  # on-demand runs match a few demands: no watermark
        .order_by("-started_at", "-pk")
        .first()
    )
    demand_mark, product_mark = _watermarks()
    run = MatchRun.objects.create(
        trigger=trigger, demand_watermark=demand_mark, product_watermark=product_mark
    )
    if previous is None:
        return _rebuild(run, started)
    removed = remove_stale()
    products = frames.live_products()
    if previous.product_watermark is not None:
        products = products.filter(
            Q(updated_at__gt=previous.product_watermark) | Q(listed_at__gt=previous.product_watermark)
        )
    product_ids = list(products.values_list("pk", flat=True))
    written = recompute_products(product_ids=product_ids) if product_ids else 0
    # New demands, and live demands never matched (approved before matching existed, or missed).
    demands = frames.live_demands()
    changed = Q(pk__in=[])
    if previous.demand_watermark is not None:
        changed |= Q(published_at__gt=previous.demand_watermark)
    never = ~Q(pk__in=MatchedDemand.objects.values("demand_id"))
    demand_ids = list(demands.filter(changed | never).values_list("pk", flat=True))
    written += recompute_demands(demand_ids=demand_ids) if demand_ids else 0
    return _finish(
        run,
        started,
        demands_matched=len(demand_ids),
        products_matched=len(product_ids),
        matches_written=written,
        matches_removed=removed,
    )


def _rebuild(run: MatchRun, started: float) -> MatchRun:
    demand_frame = frames.demand_frame()
    product_frame = frames.product_frame()
    matches = _pairs(demand_frame, product_frame)
    with transaction.atomic():
        removed, _ = Match.objects.all().delete()
        Match.objects.bulk_create(matches, batch_size=BATCH)
        MatchedDemand.objects.all().delete()
        _mark_matched(demand_frame["demand_id"].to_list())
    return _finish(
        run,
        started,
        demands_matched=demand_frame.height,
        products_matched=product_frame.height,
        matches_written=len(matches),
        matches_removed=max(removed - len(matches), 0),
    )


def recompute_all(*, actor) -> MatchRun:
    """The operators' "recompute": every live demand against every live product, now."""
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied()
    started = time.perf_counter()
    demand_mark, product_mark = _watermarks()
    run = MatchRun.objects.create(
        trigger=MatchRun.Trigger.OPERATOR,
        started_by=actor,
        demand_watermark=demand_mark,
        product_watermark=product_mark,
    )
    run = _rebuild(run, started)
    with transaction.atomic():
        record_event(
            event_type="matching.recomputed",
            actor=actor,
            object_type="matching.MatchRun",
            object_id=str(run.pk),
            details={
                "demands": run.demands_matched,
                "products": run.products_matched,
                "matches": run.matches_written,
            },
        )
    return run


def ensure_matched(*, demand_ids) -> int:
    """Compute now the matches of live demands that were never matched (a page is being opened)."""
    demand_ids = set(demand_ids)
    done = set(MatchedDemand.objects.filter(demand_id__in=demand_ids).values_list("demand_id", flat=True))
    missing = list(frames.live_demands(demand_ids - done).values_list("pk", flat=True))
    if not missing:
        return 0
    started = time.perf_counter()
    run = MatchRun.objects.create(trigger=MatchRun.Trigger.ON_DEMAND)
    written = recompute_demands(demand_ids=missing)
    _finish(run, started, demands_matched=len(missing), matches_written=written)
    return written
