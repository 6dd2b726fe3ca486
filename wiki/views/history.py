"""A page's history on the site: revisions, a readable comparison of two, restore; and
"create this page" for missing `[[...]]` links.

Reading the history needs the right to read the page (asked of `wiki.access`); restoring needs
Wagtail's publish permission on it, which only coordinators hold.
"""

import difflib
import html
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page, PageLogEntry

from config.formats.dates import datetime_format

from .. import access, wikilinks
from ..models import WikiPage, workspace_of

COMPARED_FIELDS = ["title", "body", "agenda", "minutes", "decisions", "purpose", "problem"]
BLOCK_END_RE = re.compile(r"</(p|h[1-6]|li|blockquote|div|tr)>|<br\s*/?>", re.I)
TAG_RE = re.compile(r"<[^>]+>")


def _readable_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    # Guests read the published pages of their area, not the drafts and authors in its history.
    if access.page_access(request.user, page) != access.READER:
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise PermissionDenied
    return page


class _LoginNeeded(Exception):
    pass


def _checked(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _entries(page):
    """Revisions of `page`, newest first, each with the log message saying what was done."""
    revisions = list(page.revisions.order_by("-created_at", "-pk").select_related("user"))
    logs = {}
    for entry in PageLogEntry.objects.filter(page=page, revision__isnull=False).order_by("timestamp"):
        logs[entry.revision_id] = entry
    return [(revision, logs.get(revision.pk)) for revision in revisions]


@_checked
def history(request, page_id):
    """Every revision of a page: who, when, what was done; pick two to compare."""
    page = _readable_page(request, page_id)
    old_id, new_id = request.GET.get("old", ""), request.GET.get("new", "")
    if old_id.isdigit() and new_id.isdigit():
        return redirect(reverse("wiki:compare", args=[page.pk, int(old_id), int(new_id)]))
    permissions = page.permissions_for_user(request.user)
    context = {
        "page": page,
        "entries": _entries(page),
        "can_restore": permissions.can_publish(),
        "can_edit": permissions.can_edit(),
    }
    workspace = workspace_of(page)
    if workspace is not None:
        context["workspace"] = workspace
    return render(request, "wiki/history.html", context)


def revision_lines(page_object):
    """The text of a revision, field by field and paragraph by paragraph, for comparison."""
    lines = []
    for name in COMPARED_FIELDS:
        if not hasattr(page_object, name):
            continue
        value = getattr(page_object, name)
        if not value:
            continue
        text = str(value) if name != "title" else value
        text = BLOCK_END_RE.sub("\n", text)
        text = html.unescape(TAG_RE.sub("", text))
        for line in text.splitlines():
            if line.strip():
                lines.append(line.strip())
    return lines


def _author(revision):
    if revision.user is None:
        return _("unknown")
    return revision.user.get_full_name() or revision.user.get_username()


@_checked
def compare(request, page_id, old_id, new_id):
    """What changed between two revisions, line by line: removed and added text."""
    page = _readable_page(request, page_id)
    old = get_object_or_404(page.revisions, pk=old_id)
    new = get_object_or_404(page.revisions, pk=new_id)
    if old.created_at > new.created_at:
        old, new = new, old
    rows = []
    for line in difflib.ndiff(revision_lines(old.as_object()), revision_lines(new.as_object())):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(({"+ ": "added", "- ": "removed"}.get(code, "same"), text))
    return render(
        request,
        "wiki/compare.html",
        {
            "page": page,
            "old": old,
            "new": new,
            "old_user": _author(old),
            "new_user": _author(new),
            "rows": rows,
            "changed": any(kind != "same" for kind, _text in rows),
            "can_restore": page.permissions_for_user(request.user).can_publish(),
        },
    )


@require_POST
@_checked
def restore(request, page_id, revision_id):
    """Publish an older revision again, as a new revision (nothing is erased)."""
    page = _readable_page(request, page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    revision = get_object_or_404(page.revisions, pk=revision_id)
    with transaction.atomic():
        restored = revision.as_object()
        new_revision = restored.save_revision(user=request.user, previous_revision=revision, log_action=True)
        new_revision.publish(user=request.user)
    messages.success(
        request,
        _("The version of %(date)s has been restored and published.")
        % {"date": datetime_format(revision.created_at)},
    )
    return redirect(reverse("wiki:history", args=[page.pk]))


@_checked
def create_page(request, workspace_id):
    """Create the missing page a `[[...]]` link names, as a draft, then open it in the editor."""
    workspace = _readable_page(request, workspace_id)
    if workspace_of(workspace) is None or workspace_of(workspace).pk != workspace.pk:
        raise Http404
    permissions = workspace.permissions_for_user(request.user)
    if not permissions.can_add_subpage():
        raise PermissionDenied
    title = (request.POST.get("title") or request.GET.get("title") or "").strip()[:255]
    if request.method == "POST":
        if not title:
            messages.error(request, _("Give the new page a title."))
        else:
            page = WikiPage(title=title, slug=wikilinks.new_page_slug(workspace, title), live=False)
            page.owner = request.user
            workspace.add_child(instance=page)
            page.save_revision(user=request.user, log_action=True)
            return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return render(
        request, "wiki/create_page.html", {"workspace": workspace, "title": title, "page": workspace}
    )
