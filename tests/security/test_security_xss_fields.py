"""XSS payloads in every text field an editor or member can fill, listed from the models.

The list of fields is read from the models of the project's apps (every CharField, TextField,
URLField, EmailField, RichTextField and StreamField, plus page titles and people's names), so a
field added later fails `test_every_text_field_is_classified` until someone says how it is
protected:

- SHOWN: a payload is stored in it and the pages that show it are requested; the payload must
  come out escaped (it is found as text) and never as markup;
- RICH: rich text, typed in Wagtail's Draftail editor, which stores only its whitelist (no
  script, no event handler, no `javascript:` link; the admin round trip is in
  test_security_attacks); the test checks every rich text field and block uses that editor;
- STREAM: StreamFields, whose blocks are walked from their definitions: every text block of
  every StreamField gets its own payload and is checked like a SHOWN field;
- NOT_TYPED: values the platform writes itself (hashes, identifiers, session keys, addresses).
"""

import json
import re

from bs4 import BeautifulSoup
from django.apps import apps
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from taggit.models import Tag
from wagtail import blocks
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail_factories import ImageFactory

from licensing.factories import AgreementFactory, AmendmentFactory, LicenceFactory, PartnerOrganisationFactory
from licensing.models import LicenceAcceptance, Signature
from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableCreator, DeliverableFile, DeliverablePage
from translations.models import TagLabel
from wiki.factories import (
    MeetingPageFactory,
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)
from wiki.models import ActionItem, Invitation, JoinRequest, Membership

APPS = ["wiki", "licensing", "repository", "search", "translations", "operations", "notifications"]
TEXT_FIELDS = (models.CharField, models.TextField, RichTextField, StreamField)

NOT_TYPED = {
    "wiki.WikiLink.text": "written by the wiki-link parser from page bodies (whose payloads are checked)",
    "licensing.LicenceAcceptance.session_key": "set by the platform",
    "licensing.LicenceAcceptance.object_identifier": "set by the platform from the deliverable",
    "licensing.LicenceAcceptance.language": "set by the platform",
    "licensing.LicenceAcceptance.ip_address": "set by the platform",
    "licensing.LicenceVersion.summary_fr": "generated from the licence's fields (whose payloads are checked)",
    "licensing.LicenceVersion.summary_en": "generated from the licence's fields (whose payloads are checked)",
    "repository.DeliverableIdentifier.identifier": "minted by the platform",
    "repository.DeliverableIdentifier.deliverable_type": "copied by the platform from a choice",
    "translations.TranslationSync.source_hash": "a hash computed by the platform",
    "translations.TagLabel.slug": "a slug (letters, digits, hyphens) validated by the form",
    "repository.DeliverableCreator.orcid": "validated ORCID pattern (digits and hyphens)",
    # Web addresses: Django's URL validator on every save (pages, snippets, admin forms) admits
    # only http(s) and ftp(s) addresses without spaces or markup, so no `javascript:` link.
    "wiki.WorkspacePage.external_wiki": "validated web address",
    "licensing.PartnerOrganisation.website": "validated web address",
    "licensing.Licence.url": "validated web address",
    # Stored for the translators' queue, shown on no page today: add it to SHOWN_FIELDS (and a
    # page to the fixture) when a page shows it.
    "translations.TranslationRequest.note": "stored, not displayed",
    "licensing.PartnerOrganisation.mission": "stored, not displayed",
}


def model_text_fields():
    """{"app.Model.field": field} for every text field declared by a model of the project's apps."""
    found = {}
    for label in APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not getattr(field, "concrete", False) or not field.editable or field.choices:
                    continue
                if isinstance(field, TEXT_FIELDS) and field.model is model:
                    found[f"{model._meta.label}.{field.name}"] = field
    return found


class Marks:
    """A payload of its own for each field, so that each can be found in the pages."""

    def __init__(self):
        self.keys = {}

    def __call__(self, key):
        number = self.keys.setdefault(key, len(self.keys) + 1)
        return f"<svg onload=x{number}>"

    @staticmethod
    def escaped(payload):
        return payload.replace("<", "&lt;").replace(">", "&gt;")


def fill_block(block, key, marks, image, document):
    """A raw value for `block` with a payload in every text sub-block (recorded under `key`)."""
    if isinstance(block, blocks.RichTextBlock):
        return "<p>Texte enrichi.</p>"  # rich text: see RICH
    if isinstance(block, blocks.ChoiceBlock):
        return block.field.choices[-1][0] if block.field.choices else ""
    if isinstance(block, blocks.URLBlock):
        return "https://example.org/" + marks(key)
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock, blocks.BlockQuoteBlock, blocks.RawHTMLBlock)):
        return marks(key)
    if isinstance(block, ImageChooserBlock):
        return image.pk
    if isinstance(block, DocumentChooserBlock):
        return document.pk
    if isinstance(block, blocks.StructBlock):
        return {
            name: fill_block(child, f"{key}.{name}", marks, image, document)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [fill_block(block.child_block, key, marks, image, document)]
    if isinstance(block, blocks.StreamBlock):
        return [
            {"type": name, "value": fill_block(child, f"{key}/{name}", marks, image, document)}
            for name, child in block.child_blocks.items()
        ]
    if isinstance(block, (blocks.DateBlock, blocks.DateTimeBlock)):
        return "2026-11-26"
    if isinstance(block, (blocks.IntegerBlock, blocks.DecimalBlock, blocks.FloatBlock)):
        return 1
    if isinstance(block, blocks.BooleanBlock):
        return True
    raise AssertionError(f"{key}: no payload for block {type(block).__name__}: classify it in this test")


def stream(model, name, marks, image, document):
    field = model._meta.get_field(name)
    return json.dumps(fill_block(field.stream_block, f"{model._meta.label}.{name}", marks, image, document))


class XssFixture:
    @classmethod
    def setUpTestData(cls):
        marks = cls.marks = Marks()
        tree = cls.tree = build_site_tree()
        image = ImageFactory(title="Illustration")
        document = DocumentFactory(title="Annexe")
        cls.admin = SuperuserFactory(
            username="xss-admin",
            first_name=marks("auth.User.first_name"),
            last_name=marks("auth.User.last_name"),
        )

        def body(model, name):
            return stream(model, name, marks, image, document)

        from wiki.models import MeetingPage, WikiPage, WorkspacePage

        cls.workspace = WorkspacePageFactory(
            parent=tree.workspaces_fr,
            locale=tree.fr,
            title=marks("wiki.WorkspacePage.title"),
            acronym=marks("wiki.WorkspacePage.acronym"),
            purpose=marks("wiki.WorkspacePage.purpose"),
            target_audiences=marks("wiki.WorkspacePage.target_audiences"),
            regions=marks("wiki.WorkspacePage.regions"),
            host_institution=marks("wiki.WorkspacePage.host_institution"),
            participating_institutions=marks("wiki.WorkspacePage.participating_institutions"),
            expected_results=body(WorkspacePage, "expected_results"),
            body=body(WorkspacePage, "body"),
            search_description=marks("wagtailcore.Page.search_description"),
        )
        cls.wiki_page = WikiPageFactory(
            parent=cls.workspace,
            locale=tree.fr,
            title=marks("wiki.WikiPage.title"),
            body=body(WikiPage, "body"),
        )
        cls.meeting = MeetingPageFactory(
            parent=cls.workspace,
            locale=tree.fr,
            title=marks("wiki.MeetingPage.title"),
            location=marks("wiki.MeetingPage.location"),
            pre_reading=body(MeetingPage, "pre_reading"),
            minutes=body(MeetingPage, "minutes"),
        )
        tag = Tag.objects.create(name="xss-etiquette", slug="xss-etiquette")
        cls.wiki_page.tags.add(tag)
        cls.wiki_page.save()
        TagLabel.objects.create(
            tag=tag, locale=tree.fr, name=marks("translations.TagLabel.name"), slug="xss-fr"
        )
        cls.member = UserFactory(username="xss-member")
        # (An action item without owner makes the meeting page fail: reported, see the report.)
        ActionItem.objects.create(
            meeting=cls.meeting, description=marks("wiki.ActionItem.description"), owner=cls.member
        )
        MembershipFactory(user=cls.member, workspace=cls.workspace)
        Membership.objects.filter(user=cls.member).update(institution=marks("wiki.Membership.institution"))
        MembershipFactory(user=cls.admin, workspace=cls.workspace, role=Membership.Role.COORDINATOR)
        JoinRequest.objects.create(
            user=UserFactory(username="xss-asker"),
            workspace_key=cls.workspace.translation_key,
            message=marks("wiki.JoinRequest.message"),
        )
        Invitation.objects.create(
            workspace_key=cls.workspace.translation_key,
            email=marks("wiki.Invitation.email") + "@example.org",
            expires=timezone.now() + timezone.timedelta(days=14),
        )
        # Licensing: a partner, its agreement and amendment, a licence.
        partner = PartnerOrganisationFactory(
            name=marks("licensing.PartnerOrganisation.name"),
            acronym=marks("licensing.PartnerOrganisation.acronym"),
        )
        from licensing.models import Agreement

        cls.agreement = AgreementFactory(
            title=marks("licensing.Agreement.title"), clauses=body(Agreement, "clauses")
        )
        Signature.objects.create(agreement=cls.agreement, party=partner, signed_on=timezone.localdate())
        AmendmentFactory(agreement=cls.agreement, summary=marks("licensing.Amendment.summary"))
        cls.licence = LicenceFactory(
            title=marks("licensing.Licence.title"),
            spdx_id="LicenseRef-Xss",
            territory=marks("licensing.Licence.territory"),
            duration=marks("licensing.Licence.duration"),
            licensor=partner,
            agreement=cls.agreement,
        )
        # Repository: a public deliverable with creators and a labelled file.
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.deliverable = DeliverablePageFactory(
            parent=repository,
            locale=tree.fr,
            title=marks("repository.DeliverablePage.title"),
            alternative_title=marks("repository.DeliverablePage.alternative_title"),
            abstract=marks("repository.DeliverablePage.abstract"),
            version=marks("repository.DeliverablePage.version"),
            body=body(DeliverablePage, "body"),
            access_level=DeliverablePage.Access.PUBLIC,
            workspace_key=cls.workspace.translation_key,
            licence=cls.licence,
        )
        DeliverableCreator.objects.create(
            page=cls.deliverable,
            family_name=marks("repository.DeliverableCreator.family_name"),
            given_name=marks("repository.DeliverableCreator.given_name"),
            affiliation=marks("repository.DeliverableCreator.affiliation"),
            sort_order=0,
        )
        DeliverableFile.objects.create(
            page=cls.deliverable,
            document=document,
            label=marks("repository.DeliverableFile.label"),
            sort_order=0,
        )
        for page in (cls.workspace, cls.wiki_page, cls.meeting, cls.deliverable):
            page.save_revision().publish()
        LicenceAcceptance.objects.create(
            licence=cls.licence,
            licence_key=cls.licence.translation_key,
            version=1,
            user=cls.member,
            object_title=marks("licensing.LicenceAcceptance.object_title"),
        )

    def pages_html(self):
        """What the administrator (who sees everything) is shown on every page that shows these."""
        self.client.force_login(self.admin)
        with translation.override("fr"):
            urls = [
                self.workspace.url,
                self.tree.workspaces_fr.url,
                self.wiki_page.url,
                self.meeting.url,
                self.deliverable.url,
                self.deliverable.get_parent().url,
                reverse("wiki:members", args=[self.workspace.pk]),
                reverse("licensing:licence", args=[self.licence.spdx_id]),
                reverse("licensing:licences"),
                reverse("licensing:agreement", args=[self.agreement.pk]),
                reverse("licensing:acceptances"),
                reverse("search") + "?q=" + self.marks("search.query"),
                reverse("translations:tag", args=["xss-fr"]),
            ]
        html = {}
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            html[url] = response.content.decode()
        return html


class FieldListTests(TestCase):
    def test_every_text_field_is_classified(self):
        unclassified = []
        for key, field in model_text_fields().items():
            if key in NOT_TYPED or isinstance(field, (RichTextField, StreamField)):
                continue
            if key not in SHOWN_FIELDS:
                unclassified.append(key)
        self.assertEqual(
            unclassified, [], "text fields with no XSS check: add them to SHOWN_FIELDS or NOT_TYPED"
        )

    def test_every_rich_text_field_is_typed_in_the_whitelisting_editor(self):
        for key, field in model_text_fields().items():
            if isinstance(field, RichTextField):
                with self.subTest(field=key):
                    self.assertIsInstance(field.formfield().widget, DraftailRichTextArea)

    def test_every_rich_text_block_is_typed_in_the_whitelisting_editor(self):
        def rich_blocks(block, key):
            if isinstance(block, blocks.RichTextBlock):
                yield key, block
            for name, child in getattr(block, "child_blocks", {}).items():
                yield from rich_blocks(child, f"{key}.{name}")
            if isinstance(block, blocks.ListBlock):
                yield from rich_blocks(block.child_block, key)

        found = 0
        for key, field in model_text_fields().items():
            if isinstance(field, StreamField):
                for name, block in rich_blocks(field.stream_block, key):
                    found += 1
                    with self.subTest(block=name):
                        self.assertIsInstance(block.field.widget, DraftailRichTextArea)
        self.assertGreater(found, 0)


# Every plain text field people type, with the model it belongs to (the fixture fills each).
SHOWN_FIELDS = {
    "wiki.WorkspacePage.acronym",
    "wiki.WorkspacePage.purpose",
    "wiki.WorkspacePage.target_audiences",
    "wiki.WorkspacePage.regions",
    "wiki.WorkspacePage.host_institution",
    "wiki.WorkspacePage.participating_institutions",
    "wiki.MeetingPage.location",
    "wiki.ActionItem.description",
    "wiki.Membership.institution",
    "wiki.JoinRequest.message",
    "wiki.Invitation.email",
    "licensing.PartnerOrganisation.name",
    "licensing.PartnerOrganisation.acronym",
    "licensing.Agreement.title",
    "licensing.Amendment.summary",
    "licensing.Licence.title",
    "licensing.Licence.spdx_id",
    "licensing.Licence.territory",
    "licensing.Licence.duration",
    "licensing.LicenceAcceptance.object_title",
    "repository.DeliverablePage.alternative_title",
    "repository.DeliverablePage.abstract",
    "repository.DeliverablePage.version",
    "repository.DeliverableCreator.family_name",
    "repository.DeliverableCreator.given_name",
    "repository.DeliverableCreator.affiliation",
    "repository.DeliverableFile.label",
    "translations.TagLabel.name",
}


class PayloadRenderingTests(XssFixture, TestCase):
    def test_no_payload_becomes_markup_on_any_page(self):
        for url, html in self.pages_html().items():
            soup = BeautifulSoup(html, "html.parser")
            with self.subTest(url=url):
                self.assertEqual(soup.find_all("svg", attrs={"onload": True}), [])
                for element in soup.find_all(True):
                    handlers = [name for name in element.attrs if name.lower().startswith("on")]
                    self.assertEqual(handlers, [], str(element)[:200])

    def test_every_payload_is_shown_as_text_somewhere(self):
        html = "\n".join(self.pages_html().values())
        missing = []
        for key, number in self.marks.keys.items():
            payload = f"<svg onload=x{number}>"
            self.assertNotIn(payload, html, key)
            if not re.search(re.escape(Marks.escaped(payload)), html):
                missing.append(key)
        self.assertEqual(missing, [], "payloads stored but shown on none of the pages requested")
