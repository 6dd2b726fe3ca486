"""Fuzzing with hypothesis: the wiki-link parser and renderer, the search query parser and the
search page take any text without failing and without letting markup through."""

from bs4 import BeautifulSoup
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from search import analysis
from wiki import wikilinks
from wiki.factories import UserFactory, WikiPageFactory, WorkspacePageFactory, build_site_tree

# Text rich in the characters the parsers care about, plus anything else.
SPECIAL = st.sampled_from(["[[", "]]", "|", "<", ">", "&", '"', "'", ":", "*", "%", "\\", "\x00", "é", "‮"])
TEXT = st.lists(st.one_of(SPECIAL, st.text(max_size=12)), max_size=30).map("".join)
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(TEXT)
def test_wiki_link_parser_accepts_any_text(text):
    for target, label in wikilinks.parse(text):
        assert isinstance(target, str) and isinstance(label, str)
        assert "[" not in target and "]" not in target


@QUICK
@given(TEXT, st.booleans())
def test_search_query_parser_accepts_any_text(text, prefix):
    query = analysis.parse(text, ["fr", "en"], prefix=prefix)
    assert len(query.clauses) <= analysis.MAX_TERMS + text.count('"')


class RenderedLinksFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr)
        cls.page = WikiPageFactory(parent=cls.workspace, locale=tree.fr, title="Accueil de la CdP")
        cls.reader = UserFactory()

    @QUICK
    @given(TEXT)
    def test_rendered_wiki_links_never_turn_text_into_markup(self, text):
        html = str(wikilinks.render_links(escape(text), self.page, self.reader))
        for element in BeautifulSoup(html, "html.parser").find_all(True):
            assert element.name in {"a", "span"}, html
            assert "wikilink" in element.get("class", []), html
            assert not [name for name in element.attrs if name.lower().startswith("on")], html
            assert not str(element.get("href", "")).lower().startswith("javascript:"), html


class SearchPageFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(TEXT, st.sampled_from(["q", "type", "sort", "page", "workspace", "language"]))
    def test_search_page_answers_any_parameter_without_a_server_error(self, text, name):
        response = Client(raise_request_exception=False).get("/fr/search/", {name: text.replace("\x00", "")})
        assert response.status_code < 500, (name, text, response.status_code)
