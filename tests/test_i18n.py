"""简体中文 by default, English on request, and a complete zh-Hans catalogue."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


def test_home_page_is_chinese_by_default(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "数字金融服务平台" in response.content.decode()


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in english and "Digital Financial Service Platform" in english
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "数字金融服务平台" in client.get(reverse("portal:home")).content.decode()


def test_api_errors_are_chinese_by_default(client):
    body = client.get("/api/v1/accounts/me").json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_catalogue_has_a_chinese_translation_for_every_entry():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """Run makemessages on a scratch copy of the sources and compare its message ids with ours."""
    for name in ("config", "dfsp", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = {
        e.msgid for e in polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    }
    committed = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(extracted - committed) == []


def test_error_pages_are_chinese(client, login):
    # 404 for an unknown page, 403 for a page the role may not open, 400 for an oversized form body,
    # and the 500 page rendered by the project's handler.
    from django.test import RequestFactory
    from django.utils import translation

    from dfsp.accounts.tests.factories import member
    from dfsp.core.views import server_error

    with translation.override("zh-hans"):
        not_found_title = str(translation.gettext("Page not found"))
    assert not_found_title != "Page not found"
    missing = client.get("/no-such-page-anywhere/")
    assert missing.status_code == 404 and not_found_title in missing.content.decode()

    login(member("enterprise_user"))
    refused = client.get(reverse("audit:events"))
    with translation.override("zh-hans"):
        denied_title = str(translation.gettext("Access denied"))
    assert refused.status_code == 403 and denied_title != "Access denied"
    assert denied_title in refused.content.decode()

    oversized = client.post(reverse("accounts:password_change"), {"old_password": "x" * (3 * 1024 * 1024)})
    assert oversized.status_code in (400, 413)

    # The 500 page needs no context processor or catalogue: it is written in Chinese (and English).
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500 and "系统出现内部错误" in page.content.decode()
