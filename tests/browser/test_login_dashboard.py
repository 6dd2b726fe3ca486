"""A member's first visit, in a real browser: public home, login, dashboard, language switch.

Every page visited is audited with axe-core (see conftest.py).
"""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from wiki.models import WorkspacePage

pytestmark = pytest.mark.browser

WORKSPACE_A_FR = "CdP A — Parentalité et dépendance"


@pytest.fixture
def demo(transactional_db):
    """The demo site, as `manage.py load_demo` builds it."""
    call_command("load_demo", stdout=io.StringIO())


def path_of(url):
    return urlsplit(url).path


def test_member_logs_in_in_french_and_switches_to_english(demo, live_server, page, axe):
    fr, en = Locale.objects.get(language_code="fr"), Locale.objects.get(language_code="en")
    workspace_fr = WorkspacePage.objects.get(locale=fr, title=WORKSPACE_A_FR)
    workspace_en = workspace_fr.get_translation(en)
    with translation.override("fr"):
        login_path = reverse("login")

    # Anonymous visitor: the public home answers in French.
    page.goto(f"{live_server.url}/fr/")
    assert path_of(page.url) == "/fr/"
    assert page.locator("html").get_attribute("lang") == "fr"
    axe()

    # A workspace is private: the visitor is sent to the login page, which remembers the way back.
    page.goto(f"{live_server.url}{workspace_fr.url}")
    assert path_of(page.url) == login_path
    assert parse_qs(urlsplit(page.url).query).get("next") == [workspace_fr.url]
    assert WORKSPACE_A_FR not in page.content()
    axe()

    # member-a logs in and comes back to the workspace, still in French.
    page.locator("#id_username").fill("member-a")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(workspace_fr.url) + r"$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.inner_text().strip() == WORKSPACE_A_FR
    axe()

    # The language switcher leads to the English counterpart of the same workspace.
    page.locator("nav.language-switcher a[hreflang=en]").click()
    page.wait_for_url(re.compile(re.escape(workspace_en.url) + r"$"))
    assert workspace_en.url.startswith("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text().strip() == workspace_en.title
    axe()

    # Back on the French home, which is now member-a's dashboard: workspace A is listed.
    page.goto(f"{live_server.url}/fr/")
    main = page.locator("main")
    link = main.get_by_role("link", name=WORKSPACE_A_FR, exact=True)
    assert link.count() == 1
    assert path_of(link.get_attribute("href")) == workspace_fr.url
    axe()

    # And the switcher takes the dashboard to English too.
    page.locator("nav.language-switcher a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main").get_by_role("link", name=workspace_en.title, exact=True).count() == 1
    axe()

    assert axe.pages_audited == 6
    axe.assert_clean()
    assert page.js_errors == []
