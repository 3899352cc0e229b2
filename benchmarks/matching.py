"""Benchmark: matching 100,000 live demands × 5,000 live products (top 10 per demand), and scoring
100,000 enterprises with the scorecard and the anti-fraud rules.

Matching runs the app's own engine (``dfsp.matching.engine``: NumPy blocks of demands × all
products, top-k per row with argpartition, memory bounded by the block size) on synthetic frames
generated in memory (``dfsp.matching.synthetic``). Baseline: the plain per-pair Python matcher
(``dfsp.matching.reference``) timed on a sample of demands against all products, extrapolated
linearly to the full set (said in the output); the sample's top 10 must agree with the engine's.

Scoring runs ``dfsp.credit.batch.score_frame`` on ``synthetic_features``; baseline: the single-row
path (``scorecard.score_features`` + ``antifraud.evaluate``) in a Python loop on a sample.

    .venv/bin/python benchmarks/matching.py [--demands N] [--products M] [--top K] [--block B]
"""

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DFSP_VAR_DIR", "/tmp/var-matching-bench")

import django

django.setup()

import numpy as np  # noqa: E402

from dfsp.matching import engine, reference, synthetic  # noqa: E402


def _clock(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def bench_matching(args) -> None:
    print(f"== matching: {args.demands:,} live demands × {args.products:,} live products, top {args.top}")
    (demands, products), generate = _clock(
        lambda: (synthetic.demands(args.demands, seed=1), synthetic.products(args.products, seed=2))
    )
    print(f"generate frames (Polars, in memory)        {generate:8.2f} s")
    (d, p), encode = _clock(lambda: engine.encode(demands, products))
    print(f"encode (units, code membership)            {encode:8.2f} s")
    (rows, cols, scores), match = _clock(lambda: engine.top_k(d, p, k=args.top, block_size=args.block))
    pairs = args.demands * args.products
    print(
        f"match + rank (blocks of {args.block:,} demands)     {match:8.2f} s"
        f"   {pairs / match / 1e6:,.0f} M pairs/s, {len(rows):,} matches kept"
    )
    with_match = len(np.unique(rows))
    print(f"demands with at least one match            {with_match:,} ({with_match / args.demands:.1%})")
    vectorised = encode + match

    sample = demands.head(args.sample)
    product_rows = products.to_dicts()
    expected, loop = _clock(lambda: reference.top_k(sample.to_dicts(), product_rows, k=args.top))
    extrapolated = loop * args.demands / args.sample
    print(
        f"baseline per-pair Python loop: {args.sample:,} demands × {args.products:,} products = {loop:.2f} s"
        f" → extrapolated to {args.demands:,} demands: {extrapolated:,.0f} s ({extrapolated / 3600:.1f} h)"
    )
    print(f"speed-up (vectorised encode + match vs extrapolated loop): {extrapolated / vectorised:,.0f}×")
    mismatches = 0
    for index, demand_id in enumerate(sample["demand_id"].to_list()):
        mine = np.round(scores[rows == index], 3)
        theirs = np.round([score for score, _ in expected[demand_id]], 3)
        if len(mine) != len(theirs) or not np.allclose(mine, theirs, atol=1e-3):
            mismatches += 1
    print(f"sample top-{args.top} agreement with the loop: {args.sample - mismatches}/{args.sample} demands")


def bench_scoring(args) -> None:
    print(f"\n== scoring: {args.enterprises:,} enterprises, scorecard + anti-fraud rules")
    try:
        batch = importlib.import_module("dfsp.credit.batch")
        expert = importlib.import_module("dfsp.credit.expert")
        scorecard = importlib.import_module("dfsp.credit.scorecard")
        antifraud = importlib.import_module("dfsp.credit.antifraud")
        score_frame, synthetic_features = batch.score_frame, batch.synthetic_features
    except (ImportError, AttributeError):
        print("pending: dfsp.credit.batch.score_frame / synthetic_features are not available yet")
        return
    card, fraud = expert.EXPERT_SCORECARD, expert.EXPERT_ANTI_FRAUD
    features, generate = _clock(lambda: synthetic_features(args.enterprises))
    print(f"generate features (Polars)                 {generate:8.2f} s")
    scored, vectorised = _clock(lambda: score_frame(features, scorecard_params=card, fraud_params=fraud))
    print(
        f"score_frame (vectorised)                   {vectorised:8.2f} s   {args.enterprises / vectorised:,.0f} rows/s"
    )
    sample_rows = features.head(args.score_sample).to_dicts()

    def loop():
        return [
            (scorecard.score_features(card, row).score, antifraud.evaluate(fraud, row).fraud_score)
            for row in sample_rows
        ]

    expected, looped = _clock(loop)
    extrapolated = looped * args.enterprises / args.score_sample
    print(
        f"baseline per-row Python loop: {args.score_sample:,} rows = {looped:.2f} s"
        f" → extrapolated to {args.enterprises:,}: {extrapolated:.1f} s"
    )
    print(f"speed-up: {extrapolated / vectorised:,.0f}×")
    head = scored.head(args.score_sample)
    agree = sum(
        1
        for (score, fraud_score), s, f in zip(expected, head["score"], head["fraud_score"], strict=True)
        if score == s and fraud_score == f
    )
    print(f"sample agreement (score and fraud score): {agree}/{args.score_sample} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument(
        "--block", type=int, default=500, help="demands per block (memory ∝ block × products)"
    )
    parser.add_argument("--sample", type=int, default=200, help="demands timed with the per-pair loop")
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--score-sample", type=int, default=5_000, help="rows timed with the per-row loop")
    args = parser.parse_args()
    bench_matching(args)
    bench_scoring(args)


if __name__ == "__main__":
    main()
