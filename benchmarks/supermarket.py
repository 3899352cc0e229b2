"""Benchmark: the financial supermarket with 10,000 live products from 100 institutions.

Serves the supermarket page, its htmx fragment and the JSON API (typical filter and sort) from a
real gunicorn process (2 workers, loopback only) on PostgreSQL, and compares p50/p95 latency with
a bare Django JSON endpoint served by the same process and middleware.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dfsp_bench_market .venv/bin/python benchmarks/supermarket.py

The same file is the server's settings module and URLconf (DFSP_BENCH_ROLE=server): the product URLs
plus one bare view, so the bare endpoint never reaches the product URLs.
"""

import os
import sys

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/dfsp_bench_market"

if os.environ.get("DFSP_BENCH_ROLE") == "server":
    from config.settings import *  # noqa: F403

    ROOT_URLCONF = __name__

    def __getattr__(name):
        # The URL patterns are built on first use, once the app registry is ready.
        if name != "urlpatterns":
            raise AttributeError(name)
        from django.http import JsonResponse
        from django.urls import path

        from config.urls import urlpatterns as product_urlpatterns
        from dfsp.core.access import public_view

        @public_view
        def bare(request):
            return JsonResponse({"ok": True})

        return [path("bench/bare/", bare), *product_urlpatterns]


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _seed(products_wanted: int = 10_000, institutions: int = 100) -> str:
    """Create the data set once (idempotent) and return an API key of the first institution."""
    import random
    import secrets
    from datetime import timedelta
    from decimal import Decimal

    from django.apps import apps
    from django.utils import timezone

    from dfsp.accounts.api_keys import create_api_key
    from dfsp.accounts.tests.factories import member
    from dfsp.institutions import services
    from dfsp.institutions.codes import GuaranteeMethod, ProductTag, ProductType, RepaymentMethod
    from dfsp.institutions.models import Product, ProductFacet

    Organisation = apps.get_model("accounts", "Organisation")
    rng = random.Random(2026)
    subtypes = ["bank"] * 5 + ["micro_loan", "guarantor", "leasing", "insurer"]
    orgs = list(Organisation.objects.filter(kind="institution", name__startswith="基准机构").order_by("pk"))
    for index in range(len(orgs), institutions):
        orgs.append(
            Organisation.objects.create(
                kind="institution", institution_subtype=rng.choice(subtypes), name=f"基准机构{index:03d}银行大庆分行",
                short_name=f"基准机构{index:03d}", region_code="230602",
            )
        )  # fmt: skip
    have = Product.objects.filter(organisation__in=orgs).count()
    regions = ["230600", "230602", "230603", "230604", "230606", "230621", "230000"]
    words = ["经营", "惠农", "科创", "税易", "e抵", "兴商", "供应链", "首贷", "续贷", "助企"]
    now = timezone.now()
    batch = []
    for index in range(have, products_wanted):
        org = orgs[index % institutions]
        rate_min = Decimal(
            rng.choice(["3.45", "3.65", "3.85", "4.35", "4.90", "5.50", "6.80", "8.00", "9.60", "12.00"])
        )
        term_min = rng.choice([1, 3, 6, 12])
        amount_min = Decimal(rng.choice([1, 5, 10, 30, 50, 100]))
        batch.append(
            Product(
                organisation=org, status="live", institution_name=org.short_name,
                institution_subtype=org.institution_subtype, name=f"{rng.choice(words)}贷{index}",
                product_type=rng.choice(ProductType.values), amount_min=amount_min,
                amount_max=amount_min * rng.choice([5, 10, 20, 50]), term_min=term_min,
                term_max=term_min * rng.choice([2, 4, 6, 12]), rate_min=rate_min,
                rate_max=rate_min + Decimal(rng.choice(["0.5", "1.0", "2.0", "4.0"])),
                response_days=rng.randint(1, 15), description=f"面向小微企业的{rng.choice(words)}融资产品，线上申请，快速审批。",
                contact_name="客户经理", contact_phone="0459-96588",
                tags=rng.sample(ProductTag.values, rng.randint(1, 3)),
                guarantee_methods=rng.sample(GuaranteeMethod.values, rng.randint(1, 2)),
                repayment_methods=rng.sample(RepaymentMethod.values, 2), target_regions=rng.sample(regions, 2),
                industries=rng.sample(list("ABCEFGHIM"), rng.randint(0, 3)), scales=["small", "micro"],
                listed_at=now - timedelta(days=rng.randint(0, 400)), applications_count=rng.randint(0, 200),
                rating=Decimal(rng.randint(30, 50)) / 10,
            )
        )  # fmt: skip
        if len(batch) == 2000 or index == products_wanted - 1:
            created = Product.objects.bulk_create(batch)
            facets = []
            for product in created:
                for kind, field in (("tag", "tags"), ("guarantee", "guarantee_methods"), ("region", "target_regions"),
                                    ("industry", "industries")):  # fmt: skip
                    facets += [
                        ProductFacet(product=product, kind=kind, code=code)
                        for code in getattr(product, field)
                    ]
            ProductFacet.objects.bulk_create(facets)
            batch = []
    if have < products_wanted:
        services.recompute_scores()
    admin = member(
        "institution_admin",
        orgs[0],
        username=f"bench_admin_{secrets.token_hex(4)}",
    )
    _key, raw = create_api_key(actor=admin, name="benchmark")
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does in production: statistics and the visibility map (index-only scans).
        cursor.execute("VACUUM ANALYZE institutions_product")
        cursor.execute("VACUUM ANALYZE institutions_productfacet")
    return raw


def _measure(port: int, path: str, count: int, headers: dict) -> list[float]:
    import http.client
    import time

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for index in range(count + 20):
        start = time.perf_counter()
        connection.request("GET", path.replace("{i}", str(index)), headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        if index >= 20:  # warm-up excluded
            timings.append(elapsed)
    connection.close()
    return timings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    import signal
    import socket
    import subprocess
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        raise SystemExit("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    os.environ.setdefault("DFSP_VAR_DIR", "/tmp/var-bench-market")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    requests = int(os.environ.get("BENCH_REQUESTS", "500"))
    _ensure_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print("seeding (first run takes a minute)…", flush=True)
    key = _seed()
    from django.db import connections

    connections.close_all()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DFSP_BENCH_ROLE": "server", "DJANGO_SETTINGS_MODULE": "benchmarks.supermarket"}
    server = subprocess.Popen(
        [str(root / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--chdir", str(root), "--log-level", "warning"],
        env=env, cwd=root, start_new_session=True,
    )  # fmt: skip
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        query = "tag=online&product_type=credit_loan&region=230602&sort=rate"
        cases = [
            ("bare Django JSON endpoint (baseline)", "/bench/bare/", {}),
            ("supermarket page (filter + sort)", f"/institutions/?{query}", {}),
            ("supermarket htmx fragment", f"/institutions/?{query}", {"HX-Request": "true"}),
            ("supermarket page, a new filter each request", f"/institutions/?{query}&amount={{i}}", {}),
            ("supermarket page, keyword 快贷", "/institutions/?q=%E5%BF%AB%E8%B4%B7&sort=newest", {}),
            ("supermarket page, unfiltered", "/institutions/", {}),
            (
                "API list (filter + sort)",
                f"/api/v1/institutions/supermarket?{query}",
                {"Authorization": f"Bearer {key}"},
            ),
            (
                "API facets",
                f"/api/v1/institutions/supermarket/facets?{query}",
                {"Authorization": f"Bearer {key}"},
            ),
        ]
        results = {}
        print(
            f"{requests} sequential requests each after 20 warm-up, gunicorn 2 workers, 10,000 live products"
        )
        print(f"{'case':44} {'p50 ms':>8} {'p95 ms':>8} {'p50 ratio':>10}")
        for label, path, headers in cases:
            timings = _measure(port, path, requests, headers)
            results[label] = (_percentile(timings, 0.5), _percentile(timings, 0.95))
            base = results[cases[0][0]][0]
            p50, p95 = results[label]
            print(f"{label:44} {p50:8.2f} {p95:8.2f} {p50 / base:9.1f}x", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
