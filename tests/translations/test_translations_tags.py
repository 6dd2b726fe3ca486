"""The bilingual tag vocabulary and the tag filter, in both languages and through the access rule."""

from django.test import TestCase
from taggit.models import Tag

from translations.models import TagLabel
from wiki.factories import build_access_matrix, publish_translation


class TagFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        tree = cls.world.tree
        cls.tag = Tag.objects.create(name="parentalité", slug="parentalite")
        page = cls.world.page_a.specific
        page.tags.add(cls.tag)
        page.save_revision().publish()
        publish_translation(cls.world.workspace_a, tree.en)
        cls.page_en = publish_translation(page, tree.en)
        cls.page_en.title = "Confidential plan of CoP A"
        cls.page_en.save_revision().publish()
        label = TagLabel.objects.create(tag=cls.tag, name="parentalité", slug="parentalite", locale=tree.fr)
        label_en = label.copy_for_translation(tree.en)
        label_en.name, label_en.slug = "parenthood", "parenthood"
        label_en.save()

    def test_the_english_tag_address_lists_the_english_page_under_its_english_name(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get("/en/tags/parenthood/")
        self.assertContains(response, "Tag: parenthood")
        self.assertContains(response, self.page_en.url)

    def test_the_french_tag_address_lists_the_french_page_under_its_french_name(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get("/fr/etiquettes/parentalite/")
        self.assertContains(response, "Étiquette\xa0: parentalité")
        self.assertContains(response, self.world.page_a.title)

    def test_an_english_tag_slug_also_works_under_the_french_address(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get("/fr/etiquettes/parenthood/")
        self.assertContains(response, self.world.page_a.title)

    def test_member_b_does_not_see_the_private_page_of_workspace_a(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get("/en/tags/parenthood/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.page_en.title)

    def test_an_unknown_tag_is_not_found(self):
        self.client.force_login(self.world.users["member-a"])
        self.assertEqual(self.client.get("/en/tags/nothing-here/").status_code, 404)
