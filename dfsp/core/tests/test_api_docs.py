"""The OpenAPI page: platform staff and institution users only, local assets, no inline script."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs"
SCHEMA = "/api/v1/openapi.json"
_EXECUTABLE_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)


@pytest.mark.parametrize("url", [DOCS, SCHEMA])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["enterprise_admin", "regulator"])
@pytest.mark.parametrize("url", [DOCS, SCHEMA])
def test_people_outside_platform_and_institutions_are_refused(client, login, request, persona, url):
    login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("persona", ["bank_officer", "operator"])
def test_institution_users_and_platform_staff_read_the_docs(client, login, request, persona):
    login(request.getfixturevalue(persona))
    page = client.get(DOCS)
    assert page.status_code == 200
    schema = client.get(SCHEMA)
    assert schema.status_code == 200
    assert "/api/v1/accounts/me" in schema.json()["paths"]


def test_the_docs_page_loads_only_local_assets_and_no_inline_script(client, login, bank_officer):
    html = login(bank_officer).get(DOCS).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert not _EXECUTABLE_INLINE_SCRIPT.search(html)
    assert "style=" not in html


def test_the_swagger_assets_are_found_by_the_static_files_finders():
    # Needs "ninja" in INSTALLED_APPS: its static files and templates live in the package.
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), f"{asset} is not served: add 'ninja' to INSTALLED_APPS"


def test_every_documented_operation_declares_its_security(client, login, operator):
    schema = login(operator).get(SCHEMA).json()
    schemes = set(schema["components"]["securitySchemes"])
    assert {"ApiKeyBearerAuth", "ApiKeyHeaderAuth", "SessionCallerAuth"} <= schemes
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} has no security requirement"
