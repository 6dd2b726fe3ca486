"""Comments in Wagtail's editor work for the members of a workspace, and for nobody else."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Comment
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from wiki.factories import build_access_matrix


def edit_with_comment(page, text, replies=(), comment_id=""):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "body": streamfield([("paragraph", rich_text("<p>Texte de la page.</p>"))]),
            "tags": "",
            "comments": inline_formset(
                [
                    {
                        "id": comment_id,
                        "contentpath": "title",
                        "text": text,
                        "position": "",
                        "resolved": "",
                        "replies": inline_formset(list(replies)),
                    }
                ],
                initial=1 if comment_id else 0,
            ),
        }
    )


class EditorCommentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.page = cls.world.page_a
        cls.edit_url = reverse("wagtailadmin_pages:edit", args=[cls.page.pk])

    def comment_as(self, reader, text):
        self.client.force_login(self.world.users[reader])
        return self.client.post(self.edit_url, edit_with_comment(self.page, text))

    def test_member_a_adds_a_comment_in_the_editor(self):
        self.comment_as("member-a", "Faut-il citer la source ?")
        comment = Comment.objects.get(page=self.page)
        self.assertEqual(
            (comment.user, comment.text), (self.world.users["member-a"], "Faut-il citer la source ?")
        )

    def test_the_editor_shows_member_as_comment_to_coordinator_a(self):
        self.comment_as("member-a", "Faut-il citer la source ?")
        self.client.force_login(self.world.users["coordinator-a"])
        self.assertContains(self.client.get(self.edit_url), "Faut-il citer la source ?")

    def test_coordinator_a_replies_to_member_as_comment(self):
        self.comment_as("member-a", "Faut-il citer la source ?")
        comment = Comment.objects.get(page=self.page)
        self.client.force_login(self.world.users["coordinator-a"])
        data = edit_with_comment(
            self.page,
            comment.text,
            replies=[{"id": "", "text": "Oui, en bas de page."}],
            comment_id=comment.pk,
        )
        self.client.post(self.edit_url, data)
        self.assertEqual(list(comment.replies.values_list("text", flat=True)), ["Oui, en bas de page."])

    def test_member_b_cannot_comment_on_a_page_of_a(self):
        self.comment_as("member-b", "Intrusion")
        self.assertFalse(Comment.objects.filter(page=self.page).exists())

    def test_member_b_cannot_open_the_editor_where_the_comments_are(self):
        self.comment_as("member-a", "Faut-il citer la source ?")
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(self.edit_url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "Faut-il citer la source ?", status_code=response.status_code)
