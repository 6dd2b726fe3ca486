"""The demo shows the three translation states, and every demo page is bilingual and complete."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page

from translations.status import CURRENT, MISSING, OUTDATED, page_rows
from wiki.models import WikiPage, WorkspacePage

# Whole English sentences of the catalogue: long enough never to occur by chance in French text.
PLACEHOLDER = re.compile(r"%\(|%s|%d|\{")


def english_msgids():
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    return {
        e.msgid
        for e in po
        if not e.obsolete
        and e.msgstr
        and e.msgstr != e.msgid
        and len(e.msgid.split()) >= 3
        and not PLACEHOLDER.search(e.msgid)
        and "\n" not in e.msgid
        and "<" not in e.msgid
    }


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style or head content."""

    HIDDEN = {"script", "style", "head", "template"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []
        self.alternates = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs.get("href")
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)

    @property
    def text(self):
        return " ".join(" ".join(self.parts).split())


class DemoTranslationStatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.admin = get_user_model().objects.filter(is_superuser=True).first()
        cls.workspace = WorkspacePage.objects.get(
            locale__language_code="fr", slug="cdp-a-parentalite-dependance"
        )

    def state_of(self, slug):
        page = WikiPage.objects.child_of(self.workspace).get(slug=slug)
        row = next(r for r in page_rows(self.admin, self.workspace) if r.source.pk == page.pk)
        return row

    def test_a_demo_page_is_translated_and_up_to_date(self):
        self.assertEqual(self.state_of("plan-de-mobilisation").state, CURRENT)

    def test_a_demo_page_has_no_translation_and_is_marked_as_needing_one(self):
        row = self.state_of("bilan-des-apprentissages")
        self.assertEqual(row.state, MISSING)
        self.assertTrue(row.requested)

    def test_a_demo_translation_is_out_of_date_and_says_what_changed(self):
        row = self.state_of("lectures-prealables")
        self.assertEqual(row.state, OUTDATED)
        self.assertTrue(any("Nouvelle lecture" in change["added"] for change in row.changes))

    def test_loading_the_demo_again_keeps_the_three_states_and_adds_no_page(self):
        count = Page.objects.count()
        call_command("load_demo", stdout=io.StringIO())
        self.assertEqual(Page.objects.count(), count)
        states = [
            self.state_of(s).state
            for s in ("plan-de-mobilisation", "bilan-des-apprentissages", "lectures-prealables")
        ]
        self.assertEqual(states, [CURRENT, MISSING, OUTDATED])


class DemoWalkTests(TestCase):
    """Every live page of the demo, in both languages, as an administrator."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.admin = get_user_model().objects.filter(is_superuser=True).first()
        cls.pages = list(Page.objects.live().filter(depth__gt=1).select_related("locale").specific())

    def setUp(self):
        self.client.force_login(self.admin)

    def read(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200, page.url)
        parser = VisibleText()
        parser.feed(response.content.decode())
        return parser

    def test_the_demo_has_pages_in_both_languages(self):
        self.assertEqual({p.locale.language_code for p in self.pages}, {"fr", "en"})

    def test_every_page_links_exactly_its_live_translations_with_hreflang(self):
        problems = []
        for page in self.pages:
            expected = {
                t.locale.language_code: t.full_url
                for t in page.get_translations(inclusive=True).live().select_related("locale")
            }
            found = self.read(page).alternates
            if found != expected:
                problems.append(f"{page.url}: {sorted(found)} != {sorted(expected)}")
        self.assertEqual(problems, [])

    def test_no_french_page_shows_an_english_interface_sentence(self):
        msgids = english_msgids()
        self.assertGreater(len(msgids), 50)
        problems = []
        for page in self.pages:
            if page.locale.language_code != "fr":
                continue
            text = self.read(page).text
            problems.extend(f"{page.url}: {msgid!r}" for msgid in msgids if msgid in text)
        self.assertEqual(problems, [])

    def test_the_sentence_check_does_find_english_sentences_on_an_english_page(self):
        home_en = next(p for p in self.pages if p.locale.language_code == "en" and p.depth == 2)
        text = self.read(home_en).text
        self.assertTrue(any(msgid in text for msgid in english_msgids()))
