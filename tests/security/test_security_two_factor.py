"""Optional two-step sign-in (TOTP): enrolment with a QR code, a code after the password for
every page and the administration, throttled wrong codes, recovery codes, turning it off, the
administrator's reset, and making it compulsory for administrators."""

import datetime
import re
from io import StringIO

from axes.utils import reset
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from operations.twofactor import MAX_FAILURES, new_recovery_codes
from wiki.factories import PASSWORD, SuperuserFactory, UserFactory, build_site_tree


def current_code(device):
    device.refresh_from_db()
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(6)


def wrong_code(device):
    right = int(current_code(device))
    return str((right + 500_000) % 1_000_000).zfill(6)


class TwoFactorTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.admin = SuperuserFactory(username="admin-2fa")
        cls.device = TOTPDevice.objects.create(user=cls.admin, name="app", confirmed=True)

    def setUp(self):
        reset()
        with translation.override("fr"):
            self.login_url = reverse("login")
            self.verify_url = reverse("operations:two_factor_verify")

    def sign_in(self, user=None, next_url=""):
        data = {"username": (user or self.admin).username, "password": PASSWORD}
        if next_url:
            data["next"] = next_url
        return self.client.post(self.login_url, data)

    def give(self, code, next_url=""):
        return self.client.post(self.verify_url, {"code": code, "next": next_url})


class SignInWithSecondStepTests(TwoFactorTestCase):
    def test_after_the_password_an_enrolled_person_is_asked_for_a_code(self):
        response = self.sign_in(next_url="/fr/")
        response = self.client.get(response["Location"])
        self.assertRedirects(response, f"{self.verify_url}?next=%2Ffr%2F", fetch_redirect_response=False)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Connexion en deux étapes")

    def test_the_administration_is_unreachable_without_the_second_step(self):
        self.sign_in()
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(self.verify_url))
        self.assertEqual(self.client.get("/admin/pages/").status_code, 302)

    def test_a_valid_code_opens_the_administration_and_rotates_the_session(self):
        self.sign_in()
        before = self.client.session.session_key
        response = self.give(current_code(self.device), next_url="/admin/")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertNotEqual(self.client.session.session_key, before)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_wrong_code_is_refused_with_a_translated_message(self):
        self.sign_in()
        response = self.give(wrong_code(self.device))
        self.assertContains(response, "Ce code n’est pas valide", status_code=400)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
        self.assertTrue(ModelLogEntry.objects.filter(action="cop.two_factor.failed").exists())

    def test_after_wrong_codes_even_the_right_code_must_wait(self):
        self.sign_in()
        for _attempt in range(3):
            self.give(wrong_code(self.device))
        response = self.give(current_code(self.device))
        self.assertContains(response, "Trop de codes erronés", status_code=400)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_the_wait_ends_so_the_owner_is_not_locked_out_for_ever(self):
        self.sign_in()
        for _attempt in range(3):
            self.give(wrong_code(self.device))
        TOTPDevice.objects.filter(pk=self.device.pk).update(
            throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=1)
        )
        response = self.give(current_code(self.device), next_url="/admin/")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_too_many_wrong_codes_sign_the_person_out(self):
        self.sign_in()
        for _attempt in range(MAX_FAILURES):
            response = self.give("000000" if _attempt % 2 else "999999")
        self.assertRedirects(response, self.login_url, fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_recovery_code_works_once(self):
        codes = new_recovery_codes(self.admin)
        self.sign_in()
        self.assertRedirects(
            self.give(codes[0], next_url="/admin/"), "/admin/", fetch_redirect_response=False
        )
        self.client.post(reverse("logout"))
        self.sign_in()
        self.assertEqual(self.give(codes[0]).status_code, 400)

    def test_next_cannot_lead_off_the_site(self):
        self.sign_in()
        response = self.give(current_code(self.device), next_url="https://evil.example/")
        self.assertEqual(response["Location"], "/")

    def test_a_person_without_a_device_is_not_asked_for_a_code(self):
        member = UserFactory()
        self.sign_in(member)
        response = self.client.get("/fr/")
        self.assertFalse(response.get("Location", "").startswith(self.verify_url))

    def test_the_code_page_is_in_english_for_english_readers(self):
        self.sign_in()
        with translation.override("en"):
            url = reverse("operations:two_factor_verify")
        response = self.client.post(url, {"code": wrong_code(self.device)})
        self.assertContains(response, "This code is not valid", status_code=400)


class EnrolmentTests(TwoFactorTestCase):
    def setUp(self):
        super().setUp()
        self.coordinator = UserFactory(username="coord-2fa")
        self.client.force_login(self.coordinator)
        with translation.override("fr"):
            self.setup_url = reverse("operations:two_factor_setup")

    def test_the_setup_page_shows_a_qr_code_and_the_key_to_type(self):
        response = self.client.get(self.setup_url)
        self.assertContains(response, 'src="data:image/svg+xml;base64,')
        device = TOTPDevice.objects.get(user=self.coordinator)
        self.assertFalse(device.confirmed)
        secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', response.content.decode())
        self.assertIsNotNone(secret)

    def test_a_confirmed_code_turns_it_on_and_shows_ten_recovery_codes(self):
        self.client.get(self.setup_url)
        device = TOTPDevice.objects.get(user=self.coordinator)
        response = self.client.post(self.setup_url, {"code": current_code(device)})
        self.assertContains(response, "Codes de récupération")
        self.assertEqual(response.content.decode().count("<li><code>"), 10)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(StaticDevice.objects.get(user=self.coordinator).token_set.count(), 10)

    def test_a_wrong_confirmation_code_leaves_it_off(self):
        self.client.get(self.setup_url)
        device = TOTPDevice.objects.get(user=self.coordinator)
        response = self.client.post(self.setup_url, {"code": wrong_code(device)})
        self.assertContains(response, "Ce code n’est pas valide", status_code=400)
        device.refresh_from_db()
        self.assertFalse(device.confirmed)

    def test_once_on_the_next_sign_in_asks_for_a_code(self):
        self.client.get(self.setup_url)
        device = TOTPDevice.objects.get(user=self.coordinator)
        self.client.post(self.setup_url, {"code": current_code(device)})
        self.client.post(reverse("logout"))
        self.sign_in(self.coordinator)
        response = self.client.get("/fr/")
        self.assertTrue(response["Location"].startswith(self.verify_url))

    def test_turning_it_off_needs_a_current_code(self):
        device = TOTPDevice.objects.create(user=self.coordinator, name="app", confirmed=True)
        self.give(current_code(device))
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the same code may be used again
        off_url = reverse("operations:two_factor_disable")
        refused = self.client.post(off_url, {"code": wrong_code(device)})
        self.assertEqual(refused.status_code, 400)
        self.assertTrue(TOTPDevice.objects.filter(user=self.coordinator).exists())
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        self.client.post(off_url, {"code": current_code(device)})
        self.assertFalse(TOTPDevice.objects.filter(user=self.coordinator).exists())

    def test_the_account_page_offers_it_in_english(self):
        with translation.override("en"):
            url = reverse("operations:two_factor_account")
        response = self.client.get(url)
        self.assertContains(response, "Two-step sign-in is off")


class SessionsOpenedBeforeTests(TwoFactorTestCase):
    """A session signed in with the password alone before two-step sign-in applied to the person
    (turned on in another browser, or made compulsory) is held at its next request."""

    def setUp(self):
        super().setUp()
        self.member = UserFactory(username="member-2fa")
        self.sign_in(self.member)
        self.assertEqual(self.client.get("/fr/").status_code, 200)
        # Turned on meanwhile from another browser.
        self.member_device = TOTPDevice.objects.create(user=self.member, name="app", confirmed=True)

    def test_the_older_session_is_sent_to_the_code_page_keeping_the_address(self):
        response = self.client.get("/fr/")
        self.assertRedirects(response, f"{self.verify_url}?next=%2Ffr%2F", fetch_redirect_response=False)

    def test_the_older_session_is_sent_to_the_english_code_page_from_an_english_address(self):
        with translation.override("en"):
            verify_url = reverse("operations:two_factor_verify")
        response = self.client.get("/en/")
        self.assertRedirects(response, f"{verify_url}?next=%2Fen%2F", fetch_redirect_response=False)
        self.assertContains(self.client.get(response["Location"]), "Two-step sign-in")

    def test_the_older_session_cannot_reach_the_administration(self):
        self.member.is_superuser = True
        self.member.save()
        response = self.client.get("/admin/")
        self.assertTrue(response["Location"].startswith(self.verify_url))

    def test_a_code_lets_the_older_session_go_on_to_the_address_it_asked_for(self):
        self.client.get("/fr/")
        response = self.give(current_code(self.member_device), next_url="/fr/")
        self.assertRedirects(response, "/fr/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/fr/").status_code, 200)

    def test_once_turned_off_again_the_older_session_is_not_held(self):
        TOTPDevice.objects.filter(user=self.member).delete()
        self.assertEqual(self.client.get("/fr/").status_code, 200)

    @override_settings(TWO_FACTOR_REQUIRED_FOR_SUPERUSERS=False)
    def test_an_administrator_session_opened_before_it_was_compulsory_is_sent_to_enrol(self):
        other = SuperuserFactory(username="admin-before")
        self.client.logout()
        self.sign_in(other)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        with override_settings(TWO_FACTOR_REQUIRED_FOR_SUPERUSERS=True):
            response = self.client.get("/admin/")
        self.assertRedirects(response, reverse("operations:two_factor_setup"), fetch_redirect_response=False)

    def test_checking_the_device_costs_no_extra_query(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        TOTPDevice.objects.filter(user=self.member).delete()
        self.client.get("/fr/")
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/fr/")
        self.assertFalse(
            [
                q["sql"]
                for q in queries.captured_queries
                if "otp_totp_totpdevice" in q["sql"] and "auth_user" not in q["sql"]
            ]
        )


class AdministrationTests(TwoFactorTestCase):
    def test_the_reset_command_lets_a_person_who_lost_everything_sign_in_with_the_password(self):
        new_recovery_codes(self.admin)
        call_command("reset_two_factor", self.admin.username, stdout=StringIO())
        self.assertFalse(TOTPDevice.objects.filter(user=self.admin).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.admin).exists())
        self.sign_in()
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    @override_settings(TWO_FACTOR_REQUIRED_FOR_SUPERUSERS=True)
    def test_administrators_without_a_device_are_sent_to_enrol_when_it_is_compulsory(self):
        other = SuperuserFactory(username="admin-no-2fa")
        self.sign_in(other)
        response = self.client.get("/admin/")
        self.assertRedirects(response, reverse("operations:two_factor_setup"), fetch_redirect_response=False)

    def test_without_the_setting_administrators_may_use_the_administration_without_a_device(self):
        other = SuperuserFactory(username="admin-no-2fa")
        self.sign_in(other)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_the_administration_account_page_links_to_two_step_sign_in(self):
        self.sign_in()
        self.give(current_code(self.device))
        response = self.client.get(reverse("wagtailadmin_account"))
        self.assertContains(response, reverse("operations:two_factor_account"))
