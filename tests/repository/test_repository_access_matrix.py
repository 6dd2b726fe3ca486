"""Who reads what in the repository: anonymous, partner, member-a, member-b × each access level
and an embargoed item, on the page, every file URL, the feed, OAI-PMH, citations and statistics."""

from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from repository_world import EXPECTED, READERS, build_repository_world

from repository.models import MonthlyStatistic


class RepositoryAccessMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_repository_world()

    def login(self, reader):
        self.client.logout()
        user = self.world.users[reader]
        if user is not None:
            self.client.force_login(user)

    def allowed(self, response):
        if response.status_code in (200, 206):
            return True
        self.assertIn(response.status_code, (302, 403, 404), response)
        if response.status_code == 302:
            with translation.override("fr"):
                self.assertTrue(response["Location"].startswith(reverse("login")), response["Location"])
        return False

    def test_each_reader_sees_exactly_the_deliverable_pages_they_may(self):
        for name, deliverable in self.world.deliverables.items():
            for reader in READERS:
                with self.subTest(deliverable=name, reader=reader):
                    self.login(reader)
                    self.assertEqual(
                        self.allowed(self.client.get(deliverable.url)), EXPECTED[name][reader][0]
                    )

    def test_each_reader_downloads_exactly_the_files_they_may(self):
        for name, deliverable in self.world.deliverables.items():
            for file in deliverable.files.all():
                url = reverse("deliverable_file", args=[file.pk])
                for reader in READERS:
                    with self.subTest(deliverable=name, reader=reader):
                        self.login(reader)
                        self.assertEqual(self.allowed(self.client.get(url)), EXPECTED[name][reader][1])

    def test_the_wagtail_document_address_of_a_file_opens_no_more_than_the_deliverable_does(self):
        # Files are Wagtail documents in the workspace's collection: their own address must not
        # let anyone read what the deliverable's access level or embargo withholds.
        for name, deliverable in self.world.deliverables.items():
            for file in deliverable.files.select_related("document"):
                for reader in READERS:
                    with self.subTest(deliverable=name, reader=reader):
                        self.login(reader)
                        response = self.client.get(file.document.url)
                        if self.allowed(response):
                            self.assertTrue(EXPECTED[name][reader][1])

    def test_embargoed_file_refusal_says_until_when(self):
        self.login("member-b")
        file = self.world.deliverables["embargoed"].files.get()
        response = self.client.get(reverse("deliverable_file", args=[file.pk]))
        self.assertContains(response, "embargo", status_code=403)

    def test_embargoed_page_offers_no_download_link_to_outsiders(self):
        self.login("partner")
        deliverable = self.world.deliverables["embargoed"]
        file = deliverable.files.get()
        response = self.client.get(deliverable.url)
        self.assertNotContains(response, reverse("deliverable_file", args=[file.pk]))

    def test_each_reader_gets_citations_only_of_the_deliverables_they_may_see(self):
        for name, deliverable in self.world.deliverables.items():
            url = reverse("deliverable_cite", args=[deliverable.pk, "bib"])
            for reader in READERS:
                with self.subTest(deliverable=name, reader=reader):
                    self.login(reader)
                    self.assertEqual(self.allowed(self.client.get(url)), EXPECTED[name][reader][0])

    def test_permanent_link_leads_only_readers_who_may_see_the_deliverable(self):
        for name, deliverable in self.world.deliverables.items():
            url = reverse("deliverable_permalink", args=[deliverable.identifier])
            for reader in READERS:
                with self.subTest(deliverable=name, reader=reader):
                    self.login(reader)
                    response = self.client.get(url)
                    if EXPECTED[name][reader][0]:
                        self.assertRedirects(response, deliverable.url, fetch_redirect_response=False)
                    else:
                        self.assertFalse(self.allowed(response))

    def test_atom_feed_lists_only_public_deliverables_whoever_asks(self):
        for reader in READERS:
            with self.subTest(reader=reader):
                self.login(reader)
                content = self.client.get(reverse("repository_feed")).content.decode()
                self.assertIn("zorglub", content)
                self.assertIn("brontosaure", content)  # the record is public; only its files wait
                self.assertNotIn("quetzal", content)
                self.assertNotIn("xylophone", content)

    def test_oai_pmh_exposes_only_public_records_outside_embargo_whoever_asks(self):
        for reader in READERS:
            with self.subTest(reader=reader):
                self.login(reader)
                content = self.client.get(
                    "/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
                ).content
                content = content.decode()
                self.assertIn("zorglub", content)
                self.assertNotIn("brontosaure", content)
                self.assertNotIn("quetzal", content)
                self.assertNotIn("xylophone", content)

    def test_repository_index_lists_exactly_the_deliverables_each_reader_may_see(self):
        for reader in READERS:
            self.login(reader)
            content = self.client.get(self.world.repository.url).content.decode()
            for name, deliverable in self.world.deliverables.items():
                with self.subTest(reader=reader, deliverable=name):
                    self.assertEqual(deliverable.title in content, EXPECTED[name][reader][0])

    def test_statistics_dashboard_is_refused_to_readers_who_coordinate_nothing(self):
        for reader in READERS:
            with self.subTest(reader=reader):
                self.login(reader)
                self.assertFalse(self.allowed(self.client.get(reverse("repository_statistics"))))
                self.assertFalse(self.allowed(self.client.get(reverse("repository_statistics_csv"))))

    def test_coordinator_dashboard_lists_only_deliverables_they_may_see(self):
        outsider_only = self.world.deliverables["members"]
        MonthlyStatistic.objects.create(
            translation_key=outsider_only.translation_key, month=MonthlyStatistic.this_month(), downloads=3
        )
        from wiki.factories import MembershipFactory
        from wiki.models import Membership

        coordinator_b = MembershipFactory(
            workspace=self.world.matrix.workspace_b, role=Membership.Role.COORDINATOR
        ).user
        self.client.force_login(coordinator_b)
        content = self.client.get(reverse("repository_statistics")).content.decode()
        self.assertIn("zorglub", content)
        self.assertNotIn("xylophone", content)
        self.client.force_login(self.world.users["coordinator-a"])
        self.assertContains(self.client.get(reverse("repository_statistics")), "xylophone")

    def test_item_statistics_are_shown_only_with_the_page(self):
        deliverable = self.world.deliverables["members"]
        MonthlyStatistic.objects.create(
            translation_key=deliverable.translation_key, month=MonthlyStatistic.this_month(), views=4321
        )
        self.login("member-b")
        self.assertNotContains(self.client.get(deliverable.url), "4321", status_code=403)
        self.login("member-a")
        self.assertContains(self.client.get(deliverable.url), "4321")
