"""Each user chooses their language: it drives the front end after login and their emails."""

from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from translations.emails import send_in_user_language, user_language
from wiki.factories import UserFactory, build_site_tree

PASSWORD = "Un-mot-de-passe-solide-42"


def choose(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def url_in(language, name):
    with translation.override(language):
        return reverse(name)


class LanguageSettingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.user = UserFactory(username="lectrice", email="lectrice@example.org", password=PASSWORD)

    def test_the_setting_page_has_a_french_address(self):
        self.assertEqual(url_in("fr", "translations:language"), "/fr/compte/langue/")

    def test_choosing_english_is_stored_on_the_wagtail_profile(self):
        self.client.force_login(self.user)
        self.client.post(url_in("fr", "translations:language"), {"language": "en"})
        self.assertEqual(UserProfile.get_for_user(self.user).preferred_language, "en")

    def test_choosing_english_takes_the_reader_to_the_english_setting_page(self):
        self.client.force_login(self.user)
        response = self.client.post(url_in("fr", "translations:language"), {"language": "en"})
        self.assertRedirects(response, "/en/account/language/", fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")

    def test_an_unknown_language_is_refused_with_a_translated_error(self):
        self.client.force_login(self.user)
        response = self.client.post(url_in("fr", "translations:language"), {"language": "de"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertEqual(UserProfile.get_for_user(self.user).preferred_language, "")

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(url_in("fr", "translations:language"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/fr/compte/connexion/", response["Location"])

    def test_the_bare_home_goes_to_the_english_home_for_a_user_who_chose_english(self):
        choose(self.user, "en")
        self.client.force_login(self.user)
        response = self.client.get("/")
        self.assertRedirects(response, "/en/", fetch_redirect_response=False)

    def test_the_bare_home_remembers_english_for_addresses_without_a_language(self):
        choose(self.user, "en")
        self.client.force_login(self.user)
        response = self.client.get("/")
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")

    def test_after_logging_in_a_user_who_chose_english_lands_on_the_english_home(self):
        choose(self.user, "en")
        response = self.client.post(
            url_in("fr", "login"), {"username": "lectrice", "password": PASSWORD, "next": "/"}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], "/en/")

    def test_a_user_who_chose_nothing_keeps_the_default_language_home(self):
        self.client.force_login(self.user)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/fr/"))


class EmailLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = UserFactory(username="reader", email="reader@example.org")

    def send(self):
        # Any template in the catalogues will do: the password reset email's.
        send_in_user_language(
            self.user,
            "registration/password_reset_subject.txt",
            "registration/password_reset_email.html",
            {"protocol": "https", "domain": "cop.example.org", "uid": "MQ", "token": "t-1"},
        )
        return mail.outbox[-1]

    def test_a_user_without_a_choice_gets_french(self):
        self.assertEqual(user_language(self.user), "fr")

    def test_an_email_to_a_user_who_chose_english_is_in_english(self):
        choose(self.user, "en")
        self.assertEqual(self.send().subject, "Reset your password on the CoP platform")

    def test_an_email_to_a_user_who_chose_french_is_in_french(self):
        choose(self.user, "fr")
        self.assertEqual(
            self.send().subject, "Réinitialisation de votre mot de passe sur la plateforme des CdP"
        )
