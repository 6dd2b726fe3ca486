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
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Page

from licensing.models import Agreement, Licence, PartnerOrganisation
from translations.status import CURRENT, MISSING, OUTDATED, page_rows
from wiki.access import viewable_pages
from wiki.models import MeetingPage, WikiPage, WorkspacePage

# Whole English sentences of the catalogue: long enough never to occur by chance in French text.
PLACEHOLDER = re.compile(r"%\(|%s|%d|\{")


def _sentences(side):
    """Whole interface sentences of one language (`side`: "msgid" English, "msgstr" French)."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    found = set()
    for e in po:
        text = getattr(e, side)
        if (
            not e.obsolete
            and e.msgstr
            and e.msgstr != e.msgid
            and len(text.split()) >= 3
            and not PLACEHOLDER.search(text)
            and "\n" not in text
            and "<" not in text
        ):
            found.add(" ".join(text.split()))
    return found


def english_msgids():
    return _sentences("msgid")


def french_msgstrs():
    return _sentences("msgstr")


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


class DemoMemberWalkTests(TestCase):
    """Every demo page and view a member of workspace A uses, signed in, in both languages:
    the interface is entirely in the page's language and every page has its hreflang links."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        users = get_user_model().objects
        cls.member = users.get(username="member-a")
        cls.coordinator = users.get(username="coordinator-a")
        cls.workspace_fr = WorkspacePage.objects.get(
            locale__language_code="fr", slug="cdp-a-parentalite-dependance"
        )
        # A catalogue sentence that is also the demo's content (the French title of a document
        # shown on an English page, an institution's name) is not an interface string there.
        content = " | ".join(
            [
                *Page.objects.values_list("title", flat=True),
                *get_document_model().objects.values_list("title", flat=True),
                *WorkspacePage.objects.values_list("host_institution", flat=True),
                *WorkspacePage.objects.values_list("participating_institutions", flat=True),
                *PartnerOrganisation.objects.values_list("name", flat=True),
            ]
        )
        cls.english = {s for s in english_msgids() if s not in content}
        cls.french = {s for s in french_msgstrs() if s not in content}

    def pages(self, language):
        live = Page.objects.live().filter(depth__gt=1, locale__language_code=language)
        return list(viewable_pages(self.member, live).select_related("locale").specific())

    def views(self, language):
        """Signed-in views that are not pages: history, calendar, search, licences..."""
        workspace = self.workspace_fr.get_translations(inclusive=True).get(locale__language_code=language)
        self.assertTrue(Licence.objects.exists() and Agreement.objects.exists(), "the demo has licence pages")
        wiki_page = WikiPage.objects.live().descendant_of(workspace).first()
        meeting = MeetingPage.objects.live().descendant_of(workspace).first()
        with translation.override(language):
            urls = [
                reverse("wiki:history", args=[wiki_page.pk]),
                reverse("wiki:history", args=[meeting.pk]),
                reverse("wiki:calendar", args=[workspace.pk]),
                reverse("search") + "?q=plan",
                reverse("search") + "?q=plan&both=1",
                reverse("licensing:licences"),
                reverse("translations:language"),
            ]
            urls += [
                reverse("licensing:licence", args=[spdx])
                for spdx in Licence.objects.values_list("spdx_id", flat=True).distinct()
            ]
            urls += [
                reverse("licensing:agreement", args=[pk])
                for pk in Agreement.objects.filter(locale__language_code=language).values_list(
                    "pk", flat=True
                )
            ]
        return urls

    def read(self, url, language):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        html = response.content.decode()
        self.assertIn(f'<html lang="{language}">', html, url)
        parser = VisibleText()
        parser.feed(html)
        return parser

    def other_language_sentences(self, url, language):
        text = self.read(url, language).text
        sentences = self.english if language == "fr" else self.french
        return [f"{url}: {sentence!r}" for sentence in sentences if sentence in text]

    def test_the_member_walk_covers_every_kind_of_page_in_both_languages(self):
        for language in ("fr", "en"):
            kinds = {type(page).__name__ for page in self.pages(language)}
            self.assertLessEqual(
                {
                    "HomePage",
                    "WorkspacePage",
                    "WikiPage",
                    "MeetingPage",
                    "RepositoryIndexPage",
                    "DeliverablePage",
                },
                kinds,
                language,
            )

    def test_no_page_shows_the_member_an_interface_sentence_of_the_other_language(self):
        self.client.force_login(self.member)
        problems = []
        for language in ("fr", "en"):
            for page in self.pages(language):
                problems += self.other_language_sentences(page.url, language)
        self.assertEqual(problems, [])

    def test_no_signed_in_view_shows_the_member_an_interface_sentence_of_the_other_language(self):
        self.client.force_login(self.member)
        problems = []
        for language in ("fr", "en"):
            for url in self.views(language):
                problems += self.other_language_sentences(url, language)
        self.assertEqual(problems, [])

    def test_the_members_page_speaks_the_coordinators_language(self):
        self.client.force_login(self.coordinator)
        problems = []
        en = self.workspace_fr.get_translations().get(locale__language_code="en")
        for language, workspace in (("fr", self.workspace_fr), ("en", en)):
            with translation.override(language):
                url = reverse("wiki:members", args=[workspace.pk])
            problems += self.other_language_sentences(url, language)
        self.assertEqual(problems, [])

    def test_every_page_the_member_reads_has_hreflang_links_to_its_translations_they_may_see(self):
        self.client.force_login(self.member)
        problems = []
        for language in ("fr", "en"):
            for page in self.pages(language):
                translations = page.get_translations(inclusive=True).live().select_related("locale")
                expected = {
                    t.locale.language_code: t.full_url for t in viewable_pages(self.member, translations)
                }
                found = self.read(page.url, language).alternates
                if found != expected or language not in found:
                    problems.append(f"{page.url}: {sorted(found)} != {sorted(expected)}")
        self.assertEqual(problems, [])

    def test_the_french_sentence_check_does_find_french_sentences_on_a_french_page(self):
        self.client.force_login(self.member)
        home = next(p for p in self.pages("fr") if p.depth == 2)
        text = self.read(home.url, "fr").text
        self.assertTrue(any(sentence in text for sentence in self.french))
