"""From workspace to repository: a coordinator deposits a wiki page or a meeting as a draft
deliverable, with a PDF snapshot of the page and its revision authors as creators."""

import datetime
import io

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from repository_world import build_repository_world
from wagtail.rich_text import RichText

from repository.models import DeliverablePage, RepositoryIndexPage
from repository.wagtail_hooks import deposit_button
from wiki.factories import MeetingPageFactory, WikiPageFactory
from wiki.models import ActionItem, WorkspaceAccess

PAGE_TEXT = "Chaque nouveau membre reçoit un parrain pendant ses trois premiers mois dans la communauté."


class DepositTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_repository_world()
        users = cls.world.users
        cls.coordinator, cls.member, cls.member_b = (
            users["coordinator-a"],
            users["member-a"],
            users["member-b"],
        )
        cls.workspace = cls.world.matrix.workspace_a
        tree = cls.world.matrix.tree
        page = WikiPageFactory(parent=cls.workspace, locale=tree.fr, title="Guide d'accueil des membres")
        page.body = [("paragraph", RichText("<p>Une première ébauche.</p>"))]
        page.save_revision(user=cls.member)
        page.body = [
            ("heading", "Parrainage"),
            ("paragraph", RichText(f"<p>{PAGE_TEXT}</p><ul><li>Rencontre de bienvenue</li></ul>")),
        ]
        page.tags.add("accueil", "intégration")
        page.save_revision(user=cls.coordinator).publish()
        cls.page = page.specific_class.objects.get(pk=page.pk)
        meeting = MeetingPageFactory(
            parent=cls.workspace,
            locale=tree.fr,
            title="Rencontre du comité de mars",
            start=timezone.make_aware(datetime.datetime(2026, 3, 12, 13, 30)),
        )
        meeting.decisions = "<p>Adopter le plan de transfert des connaissances.</p>"
        meeting.action_items = [ActionItem(description="Diffuser la trousse aux établissements")]
        meeting.save_revision(user=cls.coordinator).publish()
        cls.meeting = meeting.specific_class.objects.get(pk=meeting.pk)

    def url(self, page, language="fr"):
        with translation.override(language):
            return reverse("deliverable_deposit", args=[page.pk])

    def post(self, page, **changes):
        form = self.client.get(self.url(page)).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data["date_issued"] = form["date_issued"].value().isoformat()
        data.update(changes)
        return self.client.post(self.url(page), {k: v for k, v in data.items() if v is not None})

    def deposited(self):
        return DeliverablePage.objects.get(title=self.page.title)

    # Who may deposit --------------------------------------------------------------------------

    def test_the_coordinator_sees_the_deposit_button_on_the_wiki_page(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(self.page.url)
        self.assertContains(response, self.url(self.page))
        self.assertContains(response, "Déposer dans le dépôt")

    def test_a_participant_does_not_get_the_deposit_button(self):
        request = Client().request().wsgi_request
        request.user = self.member
        self.assertEqual(deposit_button(request, self.page), "")
        self.client.force_login(self.member)
        self.assertNotContains(self.client.get(self.page.url), self.url(self.page))

    def test_the_admin_page_header_offers_the_deposit_to_the_coordinator(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
        self.assertContains(response, self.url(self.page))

    def test_a_participant_may_not_open_the_deposit_form(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url(self.page)).status_code, 403)

    def test_a_member_of_another_workspace_may_not_deposit(self):
        self.client.force_login(self.member_b)
        self.assertEqual(self.client.get(self.url(self.page)).status_code, 403)
        response = self.client.post(self.url(self.page), {"title": "Volé"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(DeliverablePage.objects.filter(title="Volé").exists())

    def test_a_participant_posting_the_form_creates_nothing(self):
        self.client.force_login(self.member)
        before = DeliverablePage.objects.count()
        response = self.client.post(self.url(self.page), {"title": "Tentative", "deliverable_type": "report"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(DeliverablePage.objects.count(), before)

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self):
        response = self.client.get(self.url(self.page))
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"].replace("connexion", "login"))

    def test_only_wiki_pages_and_meetings_can_be_deposited(self):
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(self.url(self.workspace)).status_code, 404)

    def test_the_form_refuses_a_post_without_its_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.coordinator)
        response = client.post(self.url(self.page), {"title": "Sans jeton"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(DeliverablePage.objects.filter(title="Sans jeton").exists())

    # The pre-filled form ---------------------------------------------------------------------

    def test_the_form_is_pre_filled_from_the_wiki_page(self):
        self.client.force_login(self.coordinator)
        form = self.client.get(self.url(self.page)).context["form"]
        self.assertEqual(form["title"].value(), "Guide d'accueil des membres")
        self.assertEqual(form["deliverable_type"].value(), DeliverablePage.Type.GUIDE)
        self.assertIn("parrain pendant ses trois premiers mois", form["abstract"].value())
        self.assertEqual(set(form["subjects"].value().split(", ")), {"accueil", "intégration"})
        self.assertEqual(form["languages"].value(), "fr")
        self.assertEqual(form["access_level"].value(), DeliverablePage.Access.MEMBERS)
        self.assertEqual(form["date_issued"].value(), timezone.localdate())

    def test_the_revision_authors_are_proposed_as_creators_with_their_names(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url(self.page))
        choices = response.context["form"].fields["creators"].choices
        self.assertEqual(
            choices,
            [
                (str(self.member.pk), self.member.get_full_name()),
                (str(self.coordinator.pk), self.coordinator.get_full_name()),
            ],
        )
        self.assertEqual(
            response.context["form"]["creators"].value(), [str(self.member.pk), str(self.coordinator.pk)]
        )
        self.assertContains(response, self.member.get_full_name())

    def test_a_meeting_is_proposed_as_minutes_dated_on_its_day(self):
        self.client.force_login(self.coordinator)
        form = self.client.get(self.url(self.meeting)).context["form"]
        self.assertEqual(form["deliverable_type"].value(), DeliverablePage.Type.MINUTES)
        self.assertEqual(form["date_issued"].value(), datetime.date(2026, 3, 12))
        self.assertIn("Adopter le plan de transfert", form["abstract"].value())

    def test_the_form_is_in_english_on_the_english_url(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url(self.page, "en"))
        self.assertContains(response, "Deposit in the repository")
        self.assertContains(response, "Deposit as a draft deliverable")

    # Depositing ----------------------------------------------------------------------------

    def test_depositing_creates_a_draft_deliverable_and_opens_its_edit_view(self):
        self.client.force_login(self.coordinator)
        response = self.post(self.page)
        deliverable = self.deposited()
        self.assertRedirects(response, reverse("wagtailadmin_pages:edit", args=[deliverable.pk]))
        self.assertFalse(deliverable.live)
        self.assertIsInstance(deliverable.get_parent().specific, RepositoryIndexPage)
        self.assertEqual(deliverable.access_level, DeliverablePage.Access.MEMBERS)
        self.assertEqual(deliverable.workspace_key, self.workspace.translation_key)
        self.assertEqual(deliverable.deliverable_type, DeliverablePage.Type.GUIDE)
        self.assertEqual(set(deliverable.tags.names()), {"accueil", "intégration"})
        self.assertEqual(self.client.get(response["Location"]).status_code, 200)

    def test_the_creators_are_the_revision_authors_that_stayed_ticked(self):
        self.client.force_login(self.coordinator)
        self.post(self.page)
        names = [c.name for c in self.deposited().creators.order_by("sort_order")]
        self.assertEqual(names, [self.member.get_full_name(), self.coordinator.get_full_name()])

    def test_an_unticked_author_is_not_credited(self):
        self.client.force_login(self.coordinator)
        self.post(self.page, creators=[str(self.coordinator.pk)])
        self.assertEqual(
            [c.name for c in self.deposited().creators.all()], [self.coordinator.get_full_name()]
        )

    def test_the_snapshot_is_a_pdf_with_the_page_text_in_the_workspace_collection(self):
        self.client.force_login(self.coordinator)
        self.post(self.page)
        deliverable_file = self.deposited().files.get()
        collection = WorkspaceAccess.objects.get(workspace_key=self.workspace.translation_key).collection
        self.assertEqual(deliverable_file.document.collection, collection)
        self.assertEqual(deliverable_file.mime_type, "application/pdf")
        with deliverable_file.document.file.open("rb") as handle:
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
        text = " ".join(text.split())
        self.assertIn("Guide d'accueil des membres", text)
        self.assertIn(PAGE_TEXT, text)
        self.assertIn("Rencontre de bienvenue", text)
        self.assertIn(self.member.get_full_name(), text)
        self.assertIn(PAGE_TEXT, deliverable_file.text)

    def test_a_meeting_snapshot_holds_its_decisions_and_action_items(self):
        self.client.force_login(self.coordinator)
        self.post(self.meeting)
        deliverable = DeliverablePage.objects.get(title=self.meeting.title)
        with deliverable.files.get().document.file.open("rb") as handle:
            text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
        text = " ".join(text.split())
        self.assertIn("Adopter le plan de transfert des connaissances.", text)
        self.assertIn("Diffuser la trousse aux établissements", text)
        self.assertEqual(deliverable.deliverable_type, DeliverablePage.Type.MINUTES)

    def test_the_draft_is_not_readable_before_publication(self):
        self.client.force_login(self.coordinator)
        self.post(self.page)
        deliverable = self.deposited()
        self.client.logout()
        self.assertEqual(
            self.client.get(reverse("deliverable_file", args=[deliverable.files.get().pk])).status_code, 302
        )

    def test_a_participant_may_not_edit_the_deposited_draft(self):
        self.client.force_login(self.coordinator)
        self.post(self.page)
        self.client.force_login(self.member)
        edit = reverse("wagtailadmin_pages:edit", args=[self.deposited().pk])
        self.assertNotEqual(self.client.get(edit).status_code, 200)

    def test_bad_input_is_refused_with_a_translated_message_and_creates_nothing(self):
        self.client.force_login(self.coordinator)
        before = DeliverablePage.objects.count()
        response = self.post(self.page, title="", abstract="Mon résumé à garder")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Rien n’a été déposé", status_code=400)
        self.assertContains(response, "Mon résumé à garder", status_code=400)
        self.assertEqual(DeliverablePage.objects.count(), before)
