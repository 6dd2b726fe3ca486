"""The language switcher takes a reader to the counterpart of a wiki page, a deliverable and
the search page, in a real browser; where a page has no counterpart it says so in the language
the reader asked for and offers the original."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale

from repository.models import DeliverablePage
from wiki.models import WikiPage, WorkspacePage

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def switch_to_english(page):
    page.locator(".language-switcher a[hreflang='en']").first.click()
    page.wait_for_load_state()


def test_switching_language_lands_on_the_counterpart_each_time(demo, live_server, page):
    fr = Locale.objects.get(language_code="fr")
    en = Locale.objects.get(language_code="en")
    base = live_server.url
    workspace = WorkspacePage.objects.get(locale=fr, slug="cdp-a-parentalite-dependance")
    wiki_page = WikiPage.objects.child_of(workspace).get(slug="plan-de-mobilisation")
    deliverable = next(
        d
        for d in DeliverablePage.objects.live().filter(locale=fr)
        if d.get_translation_or_none(en) is not None and d.get_translation(en).live
    )
    log_in(page, base, "coordinator-a")

    page.goto(base + wiki_page.url)
    switch_to_english(page)
    assert page.url == base + wiki_page.get_translation(en).url
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(base + deliverable.url)
    switch_to_english(page)
    assert page.url == base + deliverable.get_translation(en).url

    page.goto(f"{base}/fr/recherche/?q=plan")
    switch_to_english(page)
    assert page.url == f"{base}/en/search/?q=plan"
    assert page.locator("html").get_attribute("lang") == "en"


def test_switching_on_an_untranslated_page_says_so_in_english_and_offers_the_original(
    demo, live_server, page
):
    fr = Locale.objects.get(language_code="fr")
    en = Locale.objects.get(language_code="en")
    base = live_server.url
    workspace = WorkspacePage.objects.get(locale=fr, slug="cdp-a-parentalite-dependance")
    untranslated = WikiPage.objects.child_of(workspace).get(slug="bilan-des-apprentissages")
    assert untranslated.get_translation_or_none(en) is None
    log_in(page, base, "member-a")

    page.goto(base + untranslated.url)
    switch_to_english(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Translation missing"
    original = page.locator("main a[hreflang='fr'][lang='fr']")
    assert original.inner_text() == untranslated.title
    original.click()
    page.wait_for_load_state()
    assert page.url == base + untranslated.url
    assert page.locator("html").get_attribute("lang") == "fr"
