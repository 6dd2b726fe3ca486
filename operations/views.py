"""Error pages that must work while the database does not, and the audit trail views."""

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.defaults import server_error as django_server_error


def database_unavailable(request):
    """The translated 503 page. It is rendered without the request context on purpose: the
    context processors (user, site settings) would query the failing database again."""
    from .middleware import close_broken_connections

    close_broken_connections()
    body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request, template_name="500.html"):
    """`handler500`: a database failure anywhere (middleware included) becomes the 503 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        try:
            return database_unavailable(request)
        except Exception:  # noqa: BLE001 - the plain 500 page is the last resort
            return HttpResponseServerError(loader.get_template("500.html").render())
    return django_server_error(request, template_name)
