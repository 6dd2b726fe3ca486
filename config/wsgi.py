"""WSGI entry point, used by gunicorn: `gunicorn config.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

# Fail safe: a deployment that forgets DJANGO_SETTINGS_MODULE gets production checks, not DEBUG.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the apps, their URL patterns and models) lives as long
# as the process. Frozen, it is no longer scanned by each full garbage collection: a signed-in
# wiki page at 1 000 pages waited 130 ms for one every few hundred requests, 17-19 ms since
# (bench/profile_view.py wiki_page --gc). With gunicorn's --preload the workers also keep
# sharing these memory pages.
gc.collect()
gc.freeze()
