"""The access rule as data (`wiki.access.reader_rule`), which the Elasticsearch query carries,
lets each reader read exactly the pages the SQL rule (`viewable_pages`) lets them read, and
follows a privacy change at once."""

from django.test import TestCase
from search_helpers import add_guest_area, build_world
from wagtail.models import Page, PageViewRestriction

from wiki import access


class ReaderRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        w = cls.world
        cls.area, cls.below_area, cls.guest = add_guest_area(w, "invite-regle")

    def readers(self):
        w = self.world
        return {
            "anonymous": None,
            "outsider": w.outsider,
            "member_a": w.member_a,
            "member_b": w.member_b,
            "guest": self.guest,
            "admin": w.admin,
        }

    def assert_rule_matches_sql(self, user):
        rule = access.reader_rule(user)
        live = Page.objects.live()
        readable = set(access.viewable_pages(user, live).values_list("pk", flat=True))
        for pk, path, content_type in live.values_list("pk", "path", "content_type_id"):
            with self.subTest(page=pk):
                self.assertEqual(rule.allows(path, content_type), pk in readable)

    def test_every_reader_reads_the_same_pages_by_the_rule_as_data_and_by_sql(self):
        for name, user in self.readers().items():
            with self.subTest(reader=name):
                self.assert_rule_matches_sql(user)

    def test_the_guest_reads_the_area_but_not_what_is_restricted_below_it(self):
        rule = access.reader_rule(self.guest)
        self.assertEqual(rule.guest_areas, (self.area.path,))
        self.assertTrue(rule.allows(self.area.path, self.area.content_type_id))
        self.assertFalse(rule.allows(self.below_area.path, self.below_area.content_type_id))
        self.assertFalse(rule.allows(self.world.page_b.path, self.world.page_b.content_type_id))

    def test_the_superuser_rule_has_no_condition(self):
        rule = access.reader_rule(self.world.admin)
        self.assertTrue(rule.everything)
        self.assertEqual(rule.blocked_paths, ())

    def test_visitors_are_limited_to_the_page_types_they_may_see(self):
        rule = access.reader_rule(None)
        self.assertEqual(set(rule.page_types), {ct.pk for ct in access.anonymous_page_types()})
        self.assertIsNone(access.reader_rule(self.world.outsider).page_types)

    def test_a_page_made_private_is_blocked_by_the_next_rule_read(self):
        page_a = self.world.page_a
        self.assertTrue(access.reader_rule(self.world.member_a).allows(page_a.path, page_a.content_type_id))
        PageViewRestriction.objects.create(page=page_a, restriction_type=PageViewRestriction.PASSWORD)
        rule = access.reader_rule(self.world.member_a)
        self.assertIn(page_a.path, rule.blocked_paths)
        self.assertFalse(rule.allows(page_a.path, page_a.content_type_id))
