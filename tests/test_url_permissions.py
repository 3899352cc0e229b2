"""Every route declares who may use it, and no non-public route answers an anonymous visitor."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dfsp.core.access import PUBLIC

# Ninja's views carry the API's auth per operation (dfsp/core/tests/test_api_auth.py checks each).
NINJA_MODULE_PREFIX = "ninja."
# Wagtail's admin views: dfsp.portal.middleware.CmsAdminMiddleware admits only content roles to the
# whole prefix (dfsp/portal/tests/test_cms_access.py); the anonymous walk below still covers them.
CMS_ADMIN_PREFIX = "cms/"


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def sample_path(route: str) -> str:
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000001", path)
    # re_path groups such as (?P<kind>csv|xlsx) take their first alternative.
    path = re.sub(r"\(\?P<[^>]+>([^|)]+)[^)]*\)", r"\1", path)
    path = re.sub(r"<(?:str:|slug:|path:)?[^>]+>", "x", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def project_routes():
    for route, pattern in walk(get_resolver().url_patterns):
        callback = pattern.callback
        if getattr(callback, "__module__", "").startswith(NINJA_MODULE_PREFIX):
            continue
        yield route, pattern


def test_every_view_declares_its_access():
    undeclared = [
        route
        for route, pattern in project_routes()
        if not hasattr(pattern.callback, "dfsp_access") and not route.startswith(CMS_ADMIN_PREFIX)
    ]
    assert undeclared == []


@pytest.mark.django_db
def test_anonymous_visitors_are_kept_out_of_every_protected_route(client):
    leaks = []
    for route, pattern in project_routes():
        if getattr(pattern.callback, "dfsp_access", None) == PUBLIC:
            continue
        path = sample_path(route)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code not in (302, 401, 403, 404, 405):
                leaks.append(f"{method.upper()} {path} -> {response.status_code}")
            if response.status_code == 302 and "/accounts/login/" not in response["Location"]:
                leaks.append(f"{method.upper()} {path} -> redirect to {response['Location']}")
    assert leaks == []


@pytest.mark.django_db
def test_anonymous_api_calls_get_401(client):
    for path in ("/api/v1/accounts/me", "/api/v1/accounts/organisations", "/api/v1/accounts/api-keys"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_signed_in_user_without_the_declared_roles_is_refused_everywhere(client, login):
    # A person with an account but no role: every role-restricted route must refuse them with 403
    # before its view runs (so even a sample id that does not exist is a 403, not a 404), and the
    # CMS admin must not open for them.
    from dfsp.accounts.tests.factories import UserFactory

    login(UserFactory(username="no_role_t"))
    leaks = []
    for route, pattern in project_routes():
        access = getattr(pattern.callback, "dfsp_access", None)
        restricted = isinstance(access, frozenset)
        if not restricted and not route.startswith(CMS_ADMIN_PREFIX):
            continue
        path = sample_path(route)
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            # 405: a method guard ahead of the role check answers first, which reveals nothing.
            allowed = (403, 405) if restricted else (302, 403, 404, 405)
            if status not in allowed:
                leaks.append(f"{method.upper()} {path} -> {status}")
    assert leaks == [], "\n".join(leaks)


def test_role_declarations_name_only_real_roles():
    from dfsp.accounts.roles import Role

    unknown = {
        f"{route}: {role}"
        for route, pattern in project_routes()
        if isinstance(getattr(pattern.callback, "dfsp_access", None), frozenset)
        for role in pattern.callback.dfsp_access
        if role not in Role.values
    }
    assert unknown == set()


def test_separation_of_duties_in_the_url_conf():
    # 三权分立: the audit trail opens to the audit admin alone (not the system or security admin),
    # and the audit admin reaches nothing else but the read-only API documentation.
    audit_routes, audit_admin_routes = {}, set()
    for route, pattern in project_routes():
        access = getattr(pattern.callback, "dfsp_access", None)
        if route.startswith("audit/"):
            audit_routes[route] = access
        if isinstance(access, frozenset) and "audit_admin" in access:
            audit_admin_routes.add(route)
    assert audit_routes and all(access == frozenset({"audit_admin"}) for access in audit_routes.values())
    assert audit_admin_routes - set(audit_routes) == {"api/v1/docs", "api/v1/openapi.json"}
