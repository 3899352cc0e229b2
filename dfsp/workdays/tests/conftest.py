import pytest

from dfsp.workdays import selectors


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Rolled-back edits must not survive in the per-process calendar snapshot."""
    selectors.invalidate()
    yield
    selectors.invalidate()


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    """Migration 0002 seeds 2026 and 2027; a transactional test elsewhere may have flushed them."""
    from dfsp.workdays import services as workdays_services

    for year in (2026, 2027):
        workdays_services.seed_year(year=year)
