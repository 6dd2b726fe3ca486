"""WSGI entry point, used by gunicorn: `gunicorn config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

# Fail safe: a deployment that forgets DJANGO_SETTINGS_MODULE gets production checks, not DEBUG.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
