"""Editing licences and memoranda in Wagtail's admin."""

from django.test import TestCase
from django.urls import reverse
from licensing_forms import parse, posted_fields

from licensing.factories import AgreementFactory, LicenceFactory
from licensing.models import Licence
from wiki.factories import SuperuserFactory, UserFactory, build_access_matrix


def form_data(html):
    form = next(f for f in parse(html).find_all("form") if f.find("input", attrs={"name": "title"}))
    return posted_fields(form)


class LicenceAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = SuperuserFactory()
        cls.licence = LicenceFactory(commercial_use=True)

    def edit_url(self):
        return reverse("wagtailsnippets_licensing_licence:edit", args=[self.licence.pk])

    def test_editor_shows_the_generated_summaries_and_version(self):
        self.client.force_login(self.admin)
        response = self.client.get(self.edit_url())
        self.assertContains(response, "Commercial use is allowed.")
        self.assertContains(response, "utilisation commerciale est permise.")

    def test_unticking_commercial_use_in_the_admin_makes_version_two(self):
        self.client.force_login(self.admin)
        data = form_data(self.client.get(self.edit_url()).content.decode())
        data.pop("commercial_use", None)
        response = self.client.post(self.edit_url(), data)
        self.assertEqual(response.status_code, 302)
        licence = Licence.objects.get(pk=self.licence.pk)
        self.assertEqual(licence.version, 2)
        self.assertIn("For non-commercial purposes only.", licence.summary_en)

    def test_people_without_admin_access_cannot_edit_licences(self):
        self.client.force_login(UserFactory())
        response = self.client.get(self.edit_url())
        self.assertNotEqual(response.status_code, 200)


class AgreementAdminTests(TestCase):
    def test_steering_committee_is_chosen_among_committee_workspaces_by_name(self):
        matrix = build_access_matrix()
        agreement = AgreementFactory()
        self.client.force_login(matrix.users["admin"])
        response = self.client.get(reverse("wagtailsnippets_licensing_agreement:edit", args=[agreement.pk]))
        self.assertContains(
            response, f'<option value="{matrix.steering_committee.translation_key}">Comité directeur'
        )
        self.assertNotContains(response, ">CdP A</option>")
