"""Test runs: fast hashing, isolated media, in-memory email."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cop-test-media-"))
STORAGES = {
    # Uploads are written whole or not at all (operations.storage).
    "default": {"BACKEND": "operations.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cop-test-static-"))
# Cached pages would leak from one test into the next; the perf tests switch it on.
PAGE_CACHE_LOCAL = False
FRAGMENT_CACHE_SECONDS = 0
PAGE_CACHE_STAMP = str(Path(tempfile.mkdtemp(prefix="cop-test-cache-")) / "generation")
