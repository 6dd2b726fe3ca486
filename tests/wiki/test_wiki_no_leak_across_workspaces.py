"""member-b, a member of workspace B, sees nothing of workspace A anywhere."""

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import build_access_matrix
from wiki.views.workspace import calendar_token


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


class MemberBSeesNothingOfATests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.member_b = cls.world.users["member-b"]
        cls.page = cls.world.page_a
        cls.secret = cls.page.title

    def setUp(self):
        self.client.force_login(self.member_b)

    def assertNoTraceOfA(self, response):
        self.assertNotContains(response, self.secret, status_code=response.status_code)
        self.assertNotContains(response, self.world.meeting_a.title, status_code=response.status_code)

    def test_admin_explorer_of_workspace_a_is_refused(self):
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.world.workspace_a.pk]))
        self.assertNotEqual(response.status_code, 200)
        self.assertNoTraceOfA(response)

    def test_admin_explorer_of_the_workspace_index_does_not_list_workspace_a(self):
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.world.tree.workspaces_fr.pk]))
        self.assertNotContains(
            response, f"/admin/pages/{self.world.workspace_a.pk}/", status_code=response.status_code
        )

    def test_admin_search_finds_nothing_of_workspace_a(self):
        response = self.client.get(reverse("wagtailadmin_pages:search"), {"q": "confidentiel"})
        self.assertNoTraceOfA(response)

    def test_page_chooser_lists_nothing_of_workspace_a(self):
        response = self.client.get(
            reverse("wagtailadmin_choose_page_child", args=[self.world.workspace_a.pk])
        )
        self.assertNoTraceOfA(response)

    def test_page_chooser_search_finds_nothing_of_workspace_a(self):
        response = self.client.get(reverse("wagtailadmin_choose_page_search"), {"q": "confidentiel"})
        self.assertNoTraceOfA(response)

    def test_document_chooser_lists_nothing_of_workspace_a(self):
        response = self.client.get(reverse("wagtaildocs_chooser:choose"))
        self.assertNotContains(response, self.world.document_a.title, status_code=response.status_code)

    def test_preview_of_a_page_of_a_is_refused(self):
        response = self.client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[self.page.pk]))
        self.assertNotEqual(response.status_code, 200)
        self.assertNoTraceOfA(response)

    def test_revisions_of_a_page_of_a_are_refused_in_the_admin(self):
        revision = self.page.latest_revision
        response = self.client.get(
            reverse("wagtailadmin_pages:revisions_view", args=[self.page.pk, revision.pk])
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNoTraceOfA(response)

    def test_admin_history_of_a_page_of_a_is_refused(self):
        response = self.client.get(reverse("wagtailadmin_pages:history", args=[self.page.pk]))
        self.assertNotEqual(response.status_code, 200)
        self.assertNoTraceOfA(response)

    def test_site_history_of_a_page_of_a_is_refused(self):
        self.assertEqual(self.client.get(en("wiki:history", self.page.pk)).status_code, 403)

    def test_editing_session_ping_on_a_page_of_a_is_refused(self):
        ping = reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", self.page.pk, 0])
        response = self.client.post(ping)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"other_sessions", response.content)

    def test_the_calendar_page_of_workspace_a_is_refused(self):
        self.assertEqual(self.client.get(en("wiki:calendar", self.world.workspace_a.pk)).status_code, 403)

    def test_a_calendar_token_of_member_b_for_workspace_a_gives_nothing(self):
        token = calendar_token(self.member_b, self.world.workspace_a)
        self.client.logout()
        response = self.client.get(en("wiki:calendar_feed", token))
        self.assertEqual(response.status_code, 404)

    def test_the_workspace_index_does_not_list_workspace_a(self):
        response = self.client.get(self.world.tree.workspaces_fr.url)
        self.assertNotContains(response, self.world.workspace_a.url)

    def test_the_dashboard_shows_no_change_of_workspace_a(self):
        response = self.client.get(self.world.tree.home_fr.url)
        self.assertNoTraceOfA(response)

    def test_the_members_page_of_workspace_a_is_refused(self):
        self.assertEqual(self.client.get(en("wiki:members", self.world.workspace_a.pk)).status_code, 403)


class WorkspaceImageTests(TestCase):
    """Images of a workspace are as private as its documents, renditions included."""

    @classmethod
    def setUpTestData(cls):
        import wagtail_factories

        from wiki.models import WorkspaceAccess

        cls.world = build_access_matrix()
        key = cls.world.workspace_a.translation_key
        collection = WorkspaceAccess.objects.get(workspace_key=key).collection
        cls.image = wagtail_factories.ImageFactory(collection=collection, title="Schéma confidentiel A")

    def url(self):
        return en("wiki:image", self.image.pk, "max-1000x800")

    def test_member_a_receives_the_rendition(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("image/"))

    def test_member_b_is_refused_the_rendition(self):
        self.client.force_login(self.world.users["member-b"])
        self.assertEqual(self.client.get(self.url()).status_code, 403)

    def test_anonymous_visitor_is_sent_to_the_login_page(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("next=", response["Location"])

    def test_a_size_the_templates_do_not_use_is_not_found(self):
        self.client.force_login(self.world.users["member-a"])
        self.assertEqual(self.client.get(en("wiki:image", self.image.pk, "width-5000")).status_code, 404)

    def test_the_image_chooser_of_member_b_does_not_list_it(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(reverse("wagtailimages_chooser:choose"))
        self.assertNotContains(response, "Schéma confidentiel A", status_code=response.status_code)


class CalendarFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.member = cls.world.users["member-a"]

    def feed(self, user):
        self.client.logout()
        return self.client.get(en("wiki:calendar_feed", calendar_token(user, self.world.workspace_a)))

    def test_a_members_feed_lists_the_meetings_as_icalendar(self):
        from icalendar import Calendar

        response = self.feed(self.member)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        events = Calendar.from_ical(response.content).walk("VEVENT")
        self.assertEqual([str(e["SUMMARY"]) for e in events], [self.world.meeting_a.title])

    def test_the_feed_stops_when_the_membership_ends(self):
        from django.utils import timezone

        from wiki.models import Membership

        membership = Membership.objects.get(
            user=self.member, workspace_key=self.world.workspace_a.translation_key
        )
        membership.left = timezone.localdate()
        membership.save()
        self.assertEqual(self.feed(self.member).status_code, 404)

    def test_the_calendar_page_gives_the_member_their_private_address(self):
        self.client.force_login(self.member)
        response = self.client.get(en("wiki:calendar", self.world.workspace_a.pk))
        self.assertContains(response, calendar_token(self.member, self.world.workspace_a))
