"""Failed logins are throttled by django-axes with a translated message."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wiki.factories import PASSWORD, UserFactory

LOCKED_OUT_TITLE = "Too many failed attempts"


class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = UserFactory(username="member-a")

    def setUp(self):
        reset()

    def tearDown(self):
        reset()

    def login_url(self, language):
        with translation.override(language):
            return reverse("login")

    def fail_logins(self, language, times):
        url = self.login_url(language)
        return [
            self.client.post(url, {"username": self.user.username, "password": "wrong-password"})
            for _ in range(times)
        ]

    def test_failure_limit_is_ten(self):
        self.assertEqual(settings.AXES_FAILURE_LIMIT, 10)

    def test_failed_logins_below_the_limit_show_the_login_form_again(self):
        responses = self.fail_logins("fr", settings.AXES_FAILURE_LIMIT - 1)
        self.assertEqual([r.status_code for r in responses], [200] * (settings.AXES_FAILURE_LIMIT - 1))
        self.assertNotContains(responses[-1], LOCKED_OUT_TITLE)

    def test_eleventh_failed_login_in_english_answers_the_lockout_page(self):
        eleventh = self.fail_logins("en", 11)[-1]
        self.assertEqual(eleventh.status_code, 429)
        self.assertContains(eleventh, LOCKED_OUT_TITLE, status_code=429)
        self.assertContains(eleventh, "please wait 15 minutes", status_code=429)
        self.assertContains(eleventh, '<html lang="en">', status_code=429)

    def test_eleventh_failed_login_in_french_answers_the_lockout_page_in_french(self):
        with translation.override("fr"):
            french_title = gettext(LOCKED_OUT_TITLE)
        self.assertNotEqual(
            french_title,
            LOCKED_OUT_TITLE,
            "No French translation of the lockout page: is locale/fr compiled (manage.py compilemessages)?",
        )
        eleventh = self.fail_logins("fr", 11)[-1]
        self.assertEqual(eleventh.status_code, 429)
        self.assertContains(eleventh, french_title, status_code=429)
        self.assertContains(eleventh, '<html lang="fr">', status_code=429)
        self.assertNotContains(eleventh, LOCKED_OUT_TITLE, status_code=429)

    def test_locked_out_person_is_refused_even_with_the_right_password(self):
        self.fail_logins("fr", 11)
        response = self.client.post(
            self.login_url("fr"), {"username": self.user.username, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_lockout_of_one_account_leaves_other_accounts_free_to_log_in(self):
        other = UserFactory()
        self.fail_logins("fr", 11)
        response = self.client.post(self.login_url("fr"), {"username": other.username, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), other.pk)

    def test_successful_login_before_the_limit_clears_the_failures(self):
        self.fail_logins("fr", settings.AXES_FAILURE_LIMIT - 1)
        self.client.post(self.login_url("fr"), {"username": self.user.username, "password": PASSWORD})
        self.assertFalse(
            AccessAttempt.objects.filter(username=self.user.username, failures_since_start__gt=0).exists()
        )
