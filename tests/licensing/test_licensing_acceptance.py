"""Acceptance of a licence before the first download: the gate, the form, the records, the report."""

import csv
import io
import re

from django.contrib.auth.models import Permission
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from django.utils import translation

from licensing import acceptance
from licensing.factories import LicenceFactory, memorandum_licence
from licensing.models import LicenceAcceptance
from licensing.views import csv_safe
from wiki.factories import MembershipFactory, UserFactory, WorkspacePageFactory, build_site_tree
from wiki.models import Membership


class Downloadable:
    """Stands for what is downloaded (a deliverable) in tests of the gate alone."""

    def __init__(self, title="Plan de mobilisation"):
        import uuid

        self.title = title
        self.pk = 7
        self.translation_key = uuid.uuid4()

        class Meta:
            label_lower = "repository.deliverablepage"

        self._meta = Meta


def gate_request(user, path="/fr/depot/telechargement/7/", session_key=None, language="fr"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path, REMOTE_ADDR="192.0.2.77")
    SessionMiddleware(lambda r: None).process_request(request)
    if session_key:
        request.session = request.session.__class__(session_key)
    request.user = user or AnonymousUser()
    request.LANGUAGE_CODE = language
    return request


def token_from(response):
    response.render()
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


class GateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.licence = memorandum_licence()
        cls.person = UserFactory(username="partner")

    def test_licence_without_acceptance_lets_the_download_through(self):
        licence = LicenceFactory(requires_acceptance=False)
        self.assertIsNone(acceptance.gate(gate_request(self.person), licence, Downloadable()))

    def test_download_without_acceptance_is_refused_with_the_terms_shown(self):
        with translation.override("fr"):
            response = acceptance.gate(gate_request(self.person), self.licence, Downloadable())
            response.render()
        content = response.content.decode()
        self.assertIn("À des fins non commerciales seulement.", content)
        self.assertIn("J'accepte les conditions", content)
        self.assertIn('name="csrfmiddlewaretoken"', content)

    def test_terms_are_shown_in_english_to_english_readers(self):
        with translation.override("en"):
            response = acceptance.gate(gate_request(self.person, language="en"), self.licence, Downloadable())
            response.render()
        self.assertIn("For non-commercial purposes only.", response.content.decode())

    def test_accepting_records_the_person_version_object_and_truncated_address(self):
        thing = Downloadable()
        with translation.override("fr"):
            token = token_from(acceptance.gate(gate_request(self.person), self.licence, thing))
        client = Client(enforce_csrf_checks=False, REMOTE_ADDR="192.0.2.77")
        client.force_login(self.person)
        response = client.post(reverse("licensing:accept"), {"token": token, "accept": "yes"})
        self.assertRedirects(response, "/fr/depot/telechargement/7/", fetch_redirect_response=False)
        record = LicenceAcceptance.objects.get()
        self.assertEqual(record.user, self.person)
        self.assertEqual(record.version, self.licence.version)
        self.assertEqual(record.object_identifier, f"repository.deliverablepage:{thing.translation_key}")
        self.assertEqual(record.ip_address, "192.0.2.0")

    def test_after_accepting_the_download_goes_through(self):
        acceptance.record(gate_request(self.person), self.licence, "repository.deliverablepage:x")
        self.assertIsNone(acceptance.gate(gate_request(self.person), self.licence, Downloadable()))

    def test_changing_a_term_asks_for_a_new_acceptance(self):
        acceptance.record(gate_request(self.person), self.licence, "repository.deliverablepage:x")
        self.licence.territory = "Québec"
        self.licence.save()
        self.assertIsNotNone(acceptance.gate(gate_request(self.person), self.licence, Downloadable()))

    def test_acceptance_posted_after_the_terms_changed_is_not_recorded(self):
        with translation.override("fr"):
            token = token_from(acceptance.gate(gate_request(self.person), self.licence, Downloadable()))
        self.licence.territory = "Québec"
        self.licence.save()
        client = Client()
        client.force_login(self.person)
        response = client.post(reverse("licensing:accept"), {"token": token, "accept": "yes"})
        self.assertContains(response, "Québec")
        self.assertFalse(LicenceAcceptance.objects.exists())

    def test_unticked_box_is_refused_with_a_clear_error(self):
        with translation.override("fr"):
            token = token_from(acceptance.gate(gate_request(self.person), self.licence, Downloadable()))
        client = Client()
        client.force_login(self.person)
        with translation.override("fr"):
            url = reverse("licensing:accept")
        response = client.post(url, {"token": token})
        self.assertContains(response, "Cochez la case", status_code=400)
        self.assertFalse(LicenceAcceptance.objects.exists())

    def test_forged_post_without_csrf_token_is_refused(self):
        with translation.override("fr"):
            token = token_from(acceptance.gate(gate_request(self.person), self.licence, Downloadable()))
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.person)
        response = client.post(reverse("licensing:accept"), {"token": token, "accept": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(LicenceAcceptance.objects.exists())

    def test_forged_token_is_refused(self):
        client = Client()
        client.force_login(self.person)
        response = client.post(reverse("licensing:accept"), {"token": "forged", "accept": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(LicenceAcceptance.objects.exists())

    def test_redirect_after_accepting_never_leaves_the_site(self):
        from django.core import signing

        token = signing.dumps(
            {
                "licence": self.licence.pk,
                "version": self.licence.version,
                "object": "x",
                "title": "",
                "next": "https://evil.example/",
            },
            salt=acceptance.SALT,
        )
        client = Client()
        client.force_login(self.person)
        response = client.post(reverse("licensing:accept"), {"token": token, "accept": "yes"})
        self.assertEqual(response["Location"], "/")

    def test_anonymous_visitor_accepts_once_for_their_session(self):
        client = Client()
        with translation.override("fr"):
            token = token_from(acceptance.gate(gate_request(None), self.licence, Downloadable()))
        client.post(reverse("licensing:accept"), {"token": token, "accept": "yes"})
        record = LicenceAcceptance.objects.get()
        self.assertIsNone(record.user)
        session_key = client.cookies["sessionid"].value
        self.assertEqual(record.session_key, session_key)
        self.assertIsNone(
            acceptance.gate(gate_request(None, session_key=session_key), self.licence, Downloadable())
        )

    def test_another_anonymous_visitor_is_still_asked(self):
        acceptance.record(gate_request(None), self.licence, "x")
        self.assertIsNotNone(acceptance.gate(gate_request(None), self.licence, Downloadable()))

    def test_ipv6_addresses_are_truncated_to_their_network(self):
        self.assertEqual(acceptance.truncate_ip("2001:db8:1234:5678::1"), "2001:db8:1234::")


class AcceptanceReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr)
        cls.licence = memorandum_licence()
        cls.member = UserFactory(username="member")
        cls.coordinator = UserFactory(username="coordinator")
        cls.editor = UserFactory(username="editor")
        cls.editor.user_permissions.add(Permission.objects.get(codename="view_licenceacceptance"))
        MembershipFactory(user=cls.member, workspace=workspace)
        MembershipFactory(user=cls.coordinator, workspace=workspace, role=Membership.Role.COORDINATOR)
        acceptance.record(
            gate_request(cls.member), cls.licence, "repository.deliverablepage:1", "=HYPERLINK(1)"
        )

    def report(self, user, **params):
        client = Client()
        client.force_login(user)
        return client.get(reverse("licensing:acceptances"), params)

    def test_members_cannot_see_who_accepted(self):
        self.assertEqual(self.report(self.member).status_code, 403)

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = Client().get(reverse("licensing:acceptances"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_coordinators_list_the_acceptances(self):
        self.assertContains(self.report(self.coordinator), "member")

    def test_editors_with_the_permission_list_the_acceptances(self):
        self.assertContains(self.report(self.editor), "member")

    def test_export_is_a_csv_where_formulas_are_neutralised(self):
        response = self.report(self.coordinator, format="csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(len(rows), 2)
        self.assertIn("'=HYPERLINK(1)", rows[1])
        self.assertIn("member", rows[1])

    def test_every_formula_start_is_neutralised(self):
        for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx"):
            self.assertTrue(csv_safe(value).startswith("'"), value)
        self.assertEqual(csv_safe("Plan"), "Plan")
