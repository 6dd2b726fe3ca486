"""Error pages that must work while the database does not, and the audit trail views."""

import csv
import sys

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from wiki import access
from wiki.models import Membership, WorkspacePage


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


# Audit trail of one workspace ----------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TRAIL_LIMIT = 500


def csv_safe(value):
    """Spreadsheets run cells that start like a formula: make them plain text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def workspace_entries(workspace):
    """Audit entries about one workspace: its pages (every language) and its memberships."""
    copies = Page.objects.filter(translation_key=workspace.translation_key)
    under = Q()
    for copy in copies:
        under |= Q(page__path__startswith=copy.path)
    pages = PageLogEntry.objects.filter(under).select_related("user", "page")
    memberships = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Membership),
        data__workspace_key=str(workspace.translation_key),
    ).select_related("user")
    entries = sorted(
        [*pages.order_by("-timestamp")[:TRAIL_LIMIT], *memberships.order_by("-timestamp")[:TRAIL_LIMIT]],
        key=lambda entry: entry.timestamp,
        reverse=True,
    )
    return entries[:TRAIL_LIMIT]


def _describe(entry):
    """Whom a membership entry is about (page entries say it in their label)."""
    data = entry.data or {}
    return f"{data['username']} ({data.get('role', '')})" if "username" in data else ""


def workspace_trail(request, workspace_id):
    """What happened in a workspace, for its coordinators (administrators see the whole site in
    Wagtail's site history report); `?format=csv` downloads the same list."""
    workspace = get_object_or_404(WorkspacePage, pk=workspace_id)
    if not (
        request.user.is_superuser
        or (
            access.can_view_page(request.user, workspace)
            and access.is_workspace_manager(request.user, workspace)
        )
    ):
        raise PermissionDenied
    entries = workspace_entries(workspace)
    rows = [
        {
            "timestamp": entry.timestamp,
            "action": entry.message,
            "object": entry.label,
            "details": _describe(entry),
            "user": entry.user.get_username() if entry.user else "",
        }
        for entry in entries
    ]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{workspace.slug}.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
        writer = csv.writer(response)
        writer.writerow([_("Date"), _("Action"), _("Object"), _("Details"), _("By")])
        for row in rows:
            writer.writerow(
                [csv_safe(row["timestamp"].isoformat())]
                + [csv_safe(row[key]) for key in ("action", "object", "details", "user")]
            )
        return response
    return render(request, "operations/workspace_trail.html", {"workspace": workspace, "rows": rows})
