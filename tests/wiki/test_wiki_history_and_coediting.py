"""History, comparison and restore on the site; two members editing one page lose nothing."""

from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from wiki.factories import build_access_matrix
from wiki.models import WikiPage


def edit_data(page, text, **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            **extra,
        }
    )


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


class HistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.page = cls.world.page_a
        cls.member = cls.world.users["member-a"]
        cls.coordinator = cls.world.users["coordinator-a"]
        cls.page.body = [("paragraph", "<p>Première version du plan.</p>")]
        cls.first = cls.page.save_revision(user=cls.member, log_action=True)
        cls.first.publish()
        cls.page.body = [("paragraph", "<p>Deuxième version du plan.</p>")]
        cls.second = cls.page.save_revision(user=cls.coordinator, log_action=True)
        cls.second.publish(user=cls.coordinator)

    def test_history_lists_who_changed_the_page(self):
        self.client.force_login(self.member)
        response = self.client.get(en("wiki:history", self.page.pk))
        self.assertContains(response, self.coordinator.get_full_name())
        self.assertContains(response, self.member.get_full_name())

    def test_comparison_shows_removed_and_added_text(self):
        self.client.force_login(self.member)
        response = self.client.get(en("wiki:compare", self.page.pk, self.first.pk, self.second.pk))
        self.assertContains(response, "<del>", count=1)
        self.assertContains(response, "Première version du plan.")
        self.assertContains(response, "Deuxième version du plan.")
        self.assertEqual(
            [(kind, text) for kind, text in response.context["rows"] if kind != "same"],
            [("removed", "Première version du plan."), ("added", "Deuxième version du plan.")],
        )

    def test_the_history_form_sends_to_the_comparison(self):
        self.client.force_login(self.member)
        response = self.client.get(
            en("wiki:history", self.page.pk), {"old": self.first.pk, "new": self.second.pk}
        )
        self.assertRedirects(response, en("wiki:compare", self.page.pk, self.first.pk, self.second.pk))

    def test_member_b_cannot_read_the_comparison(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(en("wiki:compare", self.page.pk, self.first.pk, self.second.pk))
        self.assertEqual(response.status_code, 403)

    def test_a_coordinator_restores_an_older_version(self):
        before = self.page.revisions.count()
        self.client.force_login(self.coordinator)
        self.client.post(en("wiki:restore", self.page.pk, self.first.pk))
        self.page.refresh_from_db()
        self.assertIn("Première version du plan.", str(self.page.body))
        self.assertEqual(self.page.revisions.count(), before + 1)

    def test_a_participant_cannot_restore(self):
        self.client.force_login(self.member)
        response = self.client.post(en("wiki:restore", self.page.pk, self.first.pk))
        self.assertEqual(response.status_code, 403)
        self.page.refresh_from_db()
        self.assertIn("Deuxième version du plan.", str(self.page.body))


class ConcurrentEditingTests(TestCase):
    """Both members opened the editor on the same revision; the first one saves."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.page = cls.world.page_a
        cls.first_editor = cls.world.users["member-a"]
        cls.second_editor = cls.world.users["coordinator-a"]
        cls.loaded = cls.page.latest_revision

    def stale_fields(self):
        return {
            "loaded_revision_id": str(self.loaded.pk),
            "loaded_revision_created_at": self.loaded.created_at.isoformat(),
        }

    def save_as(self, user, text, **headers):
        self.client.force_login(user)
        return self.client.post(
            en("wagtailadmin_pages:edit", self.page.pk),
            edit_data(self.page, text, **self.stale_fields()),
            **headers,
        )

    def texts_in_history(self):
        return [str(revision.as_object().body) for revision in self.page.revisions.order_by("created_at")]

    def test_an_autosave_over_a_newer_version_is_refused_and_the_newer_text_stays(self):
        self.save_as(self.first_editor, "Texte du premier membre")
        response = self.save_as(self.second_editor, "Texte du second membre", HTTP_ACCEPT="application/json")
        self.assertEqual(response.json()["error_code"], "invalid_revision")
        latest = WikiPage.objects.get(pk=self.page.pk).get_latest_revision_as_object()
        self.assertIn("Texte du premier membre", str(latest.body))

    def test_a_full_save_over_a_newer_version_keeps_both_texts_in_the_history(self):
        self.save_as(self.first_editor, "Texte du premier membre")
        self.save_as(self.second_editor, "Texte du second membre")
        texts = " ".join(self.texts_in_history())
        self.assertIn("Texte du premier membre", texts)
        self.assertIn("Texte du second membre", texts)

    def test_a_page_locked_by_one_member_refuses_the_other_members_save(self):
        WikiPage.objects.filter(pk=self.page.pk).update(locked=True, locked_by=self.first_editor)
        self.save_as(self.second_editor, "Texte du second membre")
        self.assertNotIn("Texte du second membre", " ".join(self.texts_in_history()))

    def test_the_editor_tells_a_member_that_someone_else_is_editing(self):
        self.client.force_login(self.first_editor)
        ping = en("wagtailadmin_editing_sessions:ping", "wagtailcore", "page", self.page.pk, 0)
        self.client.post(ping)
        self.client.force_login(self.second_editor)
        response = self.client.post(ping)
        names = [session["user"] for session in response.json()["other_sessions"]]
        self.assertIn(self.first_editor.get_full_name(), names)

    def test_a_participant_is_told_that_a_coordinator_is_editing(self):
        # Participants may not lock pages, but the concurrent-editing notice needs no lock.
        self.client.force_login(self.second_editor)
        ping = en("wagtailadmin_editing_sessions:ping", "wagtailcore", "page", self.page.pk, 0)
        self.client.post(ping)
        self.client.force_login(self.first_editor)
        response = self.client.post(ping)
        names = [session["user"] for session in response.json()["other_sessions"]]
        self.assertIn(self.second_editor.get_full_name(), names)

    def test_a_page_locked_by_a_coordinator_refuses_a_participants_save(self):
        self.client.force_login(self.second_editor)
        self.client.post(en("wagtailadmin_pages:lock", self.page.pk))
        self.save_as(self.first_editor, "Texte du participant")
        self.assertNotIn("Texte du participant", " ".join(self.texts_in_history()))
