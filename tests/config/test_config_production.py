"""Production settings: deployment checks pass with real values, and missing secrets fail fast."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

BASE_DIR = Path(__file__).resolve().parents[2]


def run(args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_deploy_checks_pass_without_warning_when_secrets_are_set(self):
        result = run(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
            ALLOWED_HOSTS="example.org",
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotIn("WARNING", result.stdout + result.stderr)

    def test_production_settings_refuse_to_load_without_a_secret_key(self):
        result = run(["-c", "import config.settings.production"], ALLOWED_HOSTS="example.org")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_production_settings_refuse_a_short_secret_key(self):
        result = run(
            ["-c", "import config.settings.production"], SECRET_KEY="too-short", ALLOWED_HOSTS="example.org"
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)

    def test_production_settings_refuse_to_load_without_allowed_hosts(self):
        result = run(["-c", "import config.settings.production"], SECRET_KEY=secrets.token_urlsafe(45))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ALLOWED_HOSTS", result.stderr)

    def test_production_settings_load_when_secrets_are_set(self):
        result = run(
            ["-c", "import config.settings.production as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
            SECRET_KEY=secrets.token_urlsafe(45),
            ALLOWED_HOSTS="example.org,www.example.org",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False ['example.org', 'www.example.org']")
