"""Brute force: repeated failures lock one account from one address, and the lock lifts by
itself after the cool-off, so an attacker cannot lock a victim out for ever."""

import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import F
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import PASSWORD, UserFactory, build_site_tree


class BruteForceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.victim = UserFactory()

    def setUp(self):
        reset()
        with translation.override("fr"):
            self.url = reverse("login")

    def tearDown(self):
        reset()

    def attack(self):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = self.client.post(
                self.url, {"username": self.victim.username, "password": "guess-123456"}
            )
        return response

    def login(self):
        return self.client.post(self.url, {"username": self.victim.username, "password": PASSWORD})

    def test_guessing_locks_the_account_from_that_address(self):
        self.assertEqual(self.attack().status_code, 429)
        self.assertEqual(self.login().status_code, 429)

    def test_lock_lifts_after_the_cool_off(self):
        self.attack()
        # Time travel: the recorded failures become as old as the cool-off and a minute.
        elapsed = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - elapsed)
        self.assertEqual(self.login().status_code, 302)

    def test_lock_from_one_address_does_not_stop_the_victim_elsewhere(self):
        self.attack()
        response = self.client.post(
            self.url, {"username": self.victim.username, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
        )
        self.assertEqual(response.status_code, 302)
