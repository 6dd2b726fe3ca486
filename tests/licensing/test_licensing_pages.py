"""Public licence pages, memorandum pages, attribution on deliverables, machine-readable rights."""

import json
import re

from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from licensing import attribution
from licensing.factories import AmendmentFactory, LicenceFactory, memorandum_licence
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki.factories import build_access_matrix, get_locale


class LicencePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.matrix = build_access_matrix()
        tree = cls.matrix.tree
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.licence = memorandum_licence(spdx_id="LicenseRef-Test-Page")
        make = DeliverablePageFactory
        cls.public = make(
            parent=repository, locale=tree.fr, title="Outil d'autodiagnostic", licence=cls.licence
        )
        cls.members_only = make(
            parent=repository,
            locale=tree.fr,
            title="Plan confidentiel",
            licence=cls.licence,
            access_level=DeliverablePage.Access.MEMBERS,
            workspace_key=cls.matrix.workspace_a.translation_key,
        )
        cls.other = make(
            parent=repository, locale=tree.fr, title="Sous une autre licence", licence=LicenceFactory()
        )

    def page(self, user=None, language="fr"):
        if user is not None:
            self.client.force_login(self.matrix.users[user])
        with translation.override(language):
            url = reverse("licensing:licence", kwargs={"spdx_id": self.licence.spdx_id})
        return self.client.get(url)

    def test_anonymous_visitors_read_the_licence_and_its_public_deliverables(self):
        response = self.page()
        self.assertContains(response, self.licence.title)
        self.assertContains(response, "Outil d'autodiagnostic".replace("'", "&#x27;"))
        self.assertNotContains(response, "Sous une autre licence")

    def test_members_only_deliverables_are_hidden_from_anonymous_visitors(self):
        self.assertNotContains(self.page(), "Plan confidentiel")

    def test_members_only_deliverables_are_hidden_from_members_of_other_workspaces(self):
        self.assertNotContains(self.page("member-b"), "Plan confidentiel")

    def test_members_of_the_workspace_see_its_deliverables(self):
        self.assertContains(self.page("member-a"), "Plan confidentiel")

    def test_summary_is_shown_in_french(self):
        self.assertContains(self.page(), "À des fins non commerciales seulement.")

    def test_summary_is_shown_in_english_under_en(self):
        self.assertContains(self.page(language="en"), "For non-commercial purposes only.")

    def test_unknown_licence_is_not_found(self):
        self.assertEqual(self.client.get(reverse("licensing:licence", args=["nope"])).status_code, 404)

    def test_shipped_licences_are_listed(self):
        response = self.client.get(reverse("licensing:licences"))
        self.assertContains(response, "CC-BY-NC-ND-4.0")


class AgreementPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.matrix = build_access_matrix()
        cls.licence = memorandum_licence(steering_key=cls.matrix.steering_committee.translation_key)
        cls.agreement = cls.licence.agreement
        AmendmentFactory(agreement=cls.agreement, summary="Ajout de la CdP D.")

    def test_memorandum_page_is_for_signed_in_people(self):
        response = self.client.get(reverse("licensing:agreement", args=[self.agreement.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_memorandum_page_shows_parties_committee_and_amendments(self):
        self.client.force_login(self.matrix.users["member-b"])
        response = self.client.get(reverse("licensing:agreement", args=[self.agreement.pk]))
        for party in self.agreement.parties():
            self.assertContains(response, party.name)
        self.assertContains(response, "Comité directeur")
        self.assertContains(response, "Ajout de la CdP D.")

    def test_workspace_panel_hook_summarises_memoranda_and_amendments_for_members(self):
        request = RequestFactory().get("/")
        request.user = self.matrix.users["member-a"]
        with translation.override("fr"):
            html = "".join(
                fn(request, self.matrix.workspace_a) for fn in hooks.get_hooks("cop_workspace_panels")
            )
        self.assertIn(self.agreement.title, html)
        self.assertIn("Ajout de la CdP D.", html)

    def test_workspace_panel_hook_says_nothing_to_anonymous_visitors(self):
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        html = "".join(fn(request, self.matrix.workspace_a) for fn in hooks.get_hooks("cop_workspace_panels"))
        self.assertEqual(html, "")


class AttributionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_access_matrix()
        cls.licence = memorandum_licence(parties=3)
        en = get_locale("en")
        cls.english_licence = cls.licence.copy_for_translation(en)
        cls.english_licence.title = "Memorandum licence"
        cls.english_licence.save()

    def test_credit_line_names_every_party_and_the_licence_in_french(self):
        line = attribution.credit_line(self.licence, "fr", title="Plan de MC")
        # French typography: non-breaking spaces inside « » and before ":".
        self.assertEqual(
            line.replace("\u00a0", " "),
            "« Plan de MC » © "
            + ", ".join(p.acronym for p in self.licence.agreement.parties())
            + " – Licence : Licence du protocole (LicenseRef-Test-Memorandum).",
        )

    def test_credit_line_in_english_uses_the_english_licence_title(self):
        line = attribution.credit_line(self.licence, "en", title="KM plan")
        self.assertTrue(line.startswith("“KM plan” © CUA"))
        self.assertTrue(line.endswith("Licence: Memorandum licence (LicenseRef-Test-Memorandum)."))

    def test_credit_line_of_a_creative_commons_licence_credits_the_authors(self):
        licence = LicenceFactory(title="CC BY", spdx_id="CC-BY-4.0-test", attribution="authors")
        self.assertIn("© the authors", attribution.credit_line(licence, "en"))

    def test_json_ld_names_every_party_as_copyright_holder(self):
        data = attribution.jsonld(self.licence, "fr", title="Plan")
        names = [holder["name"] for holder in data["copyrightHolder"]]
        self.assertEqual(names, [party.name for party in self.licence.agreement.parties()])
        self.assertTrue(all("logo" in holder for holder in data["copyrightHolder"]))

    def test_json_ld_has_licence_credit_usage_and_conditions(self):
        data = attribution.jsonld(
            self.licence, "en", title="Plan", absolute=lambda p: "https://cdp.example" + p
        )
        self.assertEqual(data["license"], "https://cdp.example/en/licences/LicenseRef-Test-Memorandum/")
        self.assertEqual(data["usageInfo"], data["license"])
        self.assertIn("© CUA", data["creditText"])
        self.assertIn("accepted before the first download", data["conditionsOfAccess"])

    def test_dc_rights_states_the_licence_and_the_parties(self):
        rights = attribution.dc_rights(self.licence, "fr", title="Plan")
        self.assertIn("LicenseRef-Test-Memorandum", rights)
        self.assertIn("CUA", rights)

    def test_attribution_tag_shows_names_logos_and_both_credit_lines(self):
        request = RequestFactory().get("/")
        with translation.override("fr"):
            html = Template("{% load licensing %}{% attribution licence title='Plan' %}").render(
                Context({"licence": self.licence, "request": request})
            )
        for party in self.licence.agreement.parties():
            self.assertIn(party.name, html)
        self.assertEqual(html.count("<img"), 3)
        self.assertIn('lang="fr"', html)
        self.assertIn('lang="en"', html)
        self.assertIn("Licence: Memorandum licence", html)

    def test_licence_link_tag_gives_the_licence_relation(self):
        request = RequestFactory().get("/")
        with translation.override("fr"):
            html = Template("{% load licensing %}{% licence_link licence %}").render(
                Context({"licence": self.licence, "request": request})
            )
        self.assertEqual(
            html, '<link rel="license" href="http://testserver/fr/licences/LicenseRef-Test-Memorandum/">'
        )

    def test_json_ld_tag_is_valid_json_that_cannot_close_its_script(self):
        request = RequestFactory().get("/")
        html = Template("{% load licensing %}{% licence_jsonld licence title=title %}").render(
            Context({"licence": self.licence, "request": request, "title": "</script><b>"})
        )
        body = re.search(r'<script type="application/ld\+json">(.*)</script>$', html, re.S).group(1)
        self.assertNotIn("</script>", body)
        self.assertEqual(json.loads(body)["name"], "</script><b>")
