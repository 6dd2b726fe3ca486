"""OAI-PMH 2.0 at /oai/: every verb and error validates against the official XSD, only public
records outside embargo are disseminated, withdrawn ones are reported deleted, and a real
harvester (Sickle) collects every public record through resumption tokens."""

import datetime
from pathlib import Path

from django.test import LiveServerTestCase, TestCase, override_settings
from django.utils import timezone
from lxml import etree
from sickle import Sickle

from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki.factories import WorkspacePageFactory, build_site_tree

SCHEMA = etree.XMLSchema(etree.parse(str(Path("/work/shared/schemas/OAI-PMH.xsd"))))
NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
Access = DeliverablePage.Access


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_records(count=5):
    tree = build_site_tree()
    workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr, title="CdP A")
    repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
    public = [
        publish(
            DeliverablePageFactory(
                parent=repository,
                locale=tree.fr,
                title=f"Livrable public {number}",
                workspace_key=workspace.translation_key,
            )
        )
        for number in range(count)
    ]
    members = publish(
        DeliverablePageFactory(
            parent=repository,
            locale=tree.fr,
            title="Livrable réservé xylophone",
            access_level=Access.MEMBERS,
            workspace_key=workspace.translation_key,
        )
    )
    partners = publish(
        DeliverablePageFactory(
            parent=repository,
            locale=tree.fr,
            title="Livrable partenaires quetzal",
            access_level=Access.PARTNERS,
        )
    )
    embargoed = publish(
        DeliverablePageFactory(
            parent=repository,
            locale=tree.fr,
            title="Livrable sous embargo brontosaure",
            embargo_until=timezone.localdate() + datetime.timedelta(days=10),
        )
    )
    return workspace, public, members, partners, embargoed


class OAIResponseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.workspace, cls.public, cls.members, cls.partners, cls.embargoed = build_records()

    def oai(self, **params):
        response = self.client.get("/oai/", params)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/xml"))
        document = etree.fromstring(response.content)
        SCHEMA.assertValid(document)
        return document

    def error_code(self, document):
        errors = document.findall("oai:error", NS)
        return errors[0].get("code") if errors else None

    def identifier(self, page):
        return f"oai:127.0.0.1:{page.identifier}"

    def test_identify_is_valid_and_declares_persistent_deletions(self):
        document = self.oai(verb="Identify")
        self.assertEqual(document.findtext("oai:Identify/oai:protocolVersion", namespaces=NS), "2.0")
        self.assertEqual(document.findtext("oai:Identify/oai:deletedRecord", namespaces=NS), "persistent")
        self.assertEqual(
            document.findtext("oai:Identify/oai:granularity", namespaces=NS), "YYYY-MM-DDThh:mm:ssZ"
        )

    def test_list_metadata_formats_offers_oai_dc(self):
        document = self.oai(verb="ListMetadataFormats")
        self.assertEqual(document.xpath("//oai:metadataPrefix/text()", namespaces=NS), ["oai_dc"])

    def test_list_sets_has_workspace_and_type_sets(self):
        specs = self.oai(verb="ListSets").xpath("//oai:setSpec/text()", namespaces=NS)
        self.assertIn(f"workspace:{self.workspace.translation_key.hex}", specs)
        self.assertIn("type:report", specs)

    def test_list_records_has_only_public_records_outside_embargo(self):
        document = self.oai(verb="ListRecords", metadataPrefix="oai_dc")
        titles = document.xpath("//dc:title/text()", namespaces=NS)
        self.assertEqual(sorted(titles), sorted(page.title for page in self.public))

    def test_list_identifiers_filters_by_set(self):
        document = self.oai(
            verb="ListIdentifiers",
            metadataPrefix="oai_dc",
            set=f"workspace:{self.workspace.translation_key.hex}",
        )
        identifiers = document.xpath("//oai:header/oai:identifier/text()", namespaces=NS)
        self.assertEqual(sorted(identifiers), sorted(self.identifier(p) for p in self.public))

    def test_get_record_gives_dublin_core_with_the_permanent_link(self):
        page = self.public[0]
        document = self.oai(verb="GetRecord", identifier=self.identifier(page), metadataPrefix="oai_dc")
        self.assertEqual(document.xpath("//dc:title/text()", namespaces=NS), [page.title])
        self.assertIn(
            f"/id/{page.identifier}/", " ".join(document.xpath("//dc:identifier/text()", namespaces=NS))
        )

    def test_get_record_of_a_members_only_deliverable_does_not_exist(self):
        document = self.oai(
            verb="GetRecord", identifier=self.identifier(self.members), metadataPrefix="oai_dc"
        )
        self.assertEqual(self.error_code(document), "idDoesNotExist")

    def test_a_withdrawn_public_record_is_reported_deleted_without_metadata(self):
        page = self.public[1]
        page.unpublish()
        document = self.oai(verb="GetRecord", identifier=self.identifier(page), metadataPrefix="oai_dc")
        self.assertEqual(document.find("oai:GetRecord/oai:record/oai:header", NS).get("status"), "deleted")
        self.assertEqual(document.findall(".//oai:metadata", NS), [])

    def test_a_public_record_made_members_only_is_reported_deleted(self):
        page = self.public[2]
        page.access_level = Access.MEMBERS
        publish(page)
        document = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
        header = document.xpath(
            "//oai:header[oai:identifier/text()=$id]", namespaces=NS, id=self.identifier(page)
        )[0]
        self.assertEqual(header.get("status"), "deleted")

    @override_settings(OAI_PAGE_SIZE=2)
    def test_long_lists_are_split_with_resumption_tokens(self):
        document = self.oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = document.find(".//oai:resumptionToken", NS)
        self.assertEqual(token.get("completeListSize"), "5")
        self.assertEqual(len(document.findall(".//oai:header", NS)), 2)
        seen = 2
        while token is not None and token.text:
            document = self.oai(verb="ListIdentifiers", resumptionToken=token.text)
            seen += len(document.findall(".//oai:header", NS))
            token = document.find(".//oai:resumptionToken", NS)
        self.assertEqual(seen, 5)

    def test_from_and_until_select_by_datestamp(self):
        tomorrow = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        document = self.oai(verb="ListRecords", metadataPrefix="oai_dc", **{"from": tomorrow})
        self.assertEqual(self.error_code(document), "noRecordsMatch")
        document = self.oai(verb="ListRecords", metadataPrefix="oai_dc", until=tomorrow)
        self.assertEqual(len(document.findall(".//oai:record", NS)), 5)

    def test_bad_requests_get_the_proper_oai_errors(self):
        cases = [
            ({}, "badVerb"),
            ({"verb": "Harvest"}, "badVerb"),
            ({"verb": "ListRecords"}, "badArgument"),
            ({"verb": "Identify", "extra": "1"}, "badArgument"),
            ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
            ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "hier"}, "badArgument"),
            (
                {
                    "verb": "ListRecords",
                    "metadataPrefix": "oai_dc",
                    "from": "2026-01-01",
                    "until": "2026-01-01T00:00:00Z",
                },
                "badArgument",
            ),
            ({"verb": "ListRecords", "resumptionToken": "n'importe quoi"}, "badResumptionToken"),
            (
                {"verb": "GetRecord", "identifier": "oai:ailleurs:1", "metadataPrefix": "oai_dc"},
                "idDoesNotExist",
            ),
            ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type:video"}, "noRecordsMatch"),
        ]
        for params, code in cases:
            with self.subTest(params=params):
                self.assertEqual(self.error_code(self.oai(**params)), code)

    def test_a_repeated_argument_is_a_bad_argument(self):
        response = self.client.get("/oai/?verb=Identify&verb=Identify")
        document = etree.fromstring(response.content)
        SCHEMA.assertValid(document)
        self.assertEqual(self.error_code(document), "badArgument")

    def test_post_requests_are_answered_like_get(self):
        response = self.client.post("/oai/", {"verb": "Identify"})
        SCHEMA.assertValid(etree.fromstring(response.content))


@override_settings(OAI_PAGE_SIZE=2, WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
class SickleHarvestTests(LiveServerTestCase):
    def setUp(self):
        _workspace, self.public, *_others = build_records(count=5)

    def test_sickle_harvests_every_public_record_through_resumption_tokens(self):
        sickle = Sickle(self.live_server_url + "/oai/", max_retries=0, timeout=30)
        records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
        titles = sorted(record.metadata["title"][0] for record in records)
        self.assertEqual(titles, sorted(page.title for page in self.public))
        self.assertEqual(len({record.header.identifier for record in records}), 5)
        identify = sickle.Identify()
        self.assertEqual(identify.protocolVersion, "2.0")
