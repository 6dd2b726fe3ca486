"""Fault handling and session lifetime.

`DatabaseUnavailableMiddleware` turns a lost database into a translated 503 page (the
`handler500` in `operations.views` does the same for failures outside views), and
`SessionTimeoutMiddleware` ends sessions that are idle too long or simply too old.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver

from .views import database_unavailable

DATABASE_ERRORS = (OperationalError, InterfaceError)

# Session keys: when the session was opened at login, and when it was last used.
STARTED_KEY = "_cop_session_started"
SEEN_KEY = "_cop_session_seen"
# The last-seen time is written at most this often, so that reading pages does not write the
# session on every request.
SEEN_RESOLUTION = 60


class DatabaseUnavailableMiddleware:
    """Answer 503 (translated, no stack trace) when the database fails during a view.

    Connections that failed are closed at once so that the next request opens a fresh one
    instead of reusing a broken connection kept by CONN_MAX_AGE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request)
        return None


def close_broken_connections():
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            # Still inside a transaction someone else opened: closing now would break it; it is
            # closed when that transaction ends, at the latest at the end of the request.
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except DATABASE_ERRORS:  # pragma: no cover - closing a dead socket may fail too
            connection.connection = None


class SessionTimeoutMiddleware:
    """Sign people out after SESSION_IDLE_TIMEOUT seconds without a request, and in any case
    SESSION_ABSOLUTE_TIMEOUT seconds after they signed in (a stolen cookie stops working)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED_KEY, now)
            seen = session.get(SEEN_KEY, now)
            idle = settings.SESSION_IDLE_TIMEOUT
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT
            if now - seen > idle or now - started > absolute:
                logout(request)
            elif now - seen >= SEEN_RESOLUTION or SEEN_KEY not in session:
                session[SEEN_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """The absolute timeout counts from the moment of signing in, whatever the session held."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


class DownloadAuditMiddleware:
    """Log each successful download of a deliverable file that is not public.

    The repository's download view checks access and streams the file; it sends no signal, so
    the trail is written here from the outside, keeping the dependency one way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "deliverable_download" and response.status_code == 200:
            from .audit import log_deliverable_download

            log_deliverable_download(request, match.kwargs.get("page_id"))
        return response
