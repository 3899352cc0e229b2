"""axe-core (npm package, served from the project's node_modules) finds no serious or critical
WCAG 2.1 AA violation on the public portal pages."""

import pytest
from django.urls import reverse

from dfsp.accounts.tests.factories import OrganisationFactory
from dfsp.portal.tests.helpers import draft_notice, policy, published
from tests.browser.axe import AXE, RUN_AXE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def portal_paths():
    paths = [
        "/",
        "/policies/",
        "/policies/measures/",
        "/complaints/",
        "/complaints/lookup/",
        "/data-overview/",
        "/search/?q=融资",
        "/questions/",
        reverse("institutions:supermarket"),
    ]
    return paths


def test_public_portal_pages_have_no_serious_accessibility_violations(browser, live_server):
    assert AXE.exists(), f"axe-core is missing: npm install (package.json lists axe-core); looked in {AXE}"
    OrganisationFactory(institution=True)
    policy(slug="measures", interpretation="<p>政策解读</p>")
    published(draft_notice(editor=None, title="关于开展政银企融资对接活动的通知", slug="match"))
    # The platform's CSP forbids injected scripts; the audit tool alone is let in.
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in portal_paths():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
