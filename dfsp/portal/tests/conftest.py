import pytest
from django.core.cache import cache

from dfsp.accounts.tests.factories import member


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return member("content_editor", username="editor_t")


@pytest.fixture
def reviewer(db, editor):
    organisation = editor.memberships.first().organisation
    return member("content_reviewer", organisation=organisation, username="reviewer_t")
