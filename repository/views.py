"""Repository views: permanent links, checked file downloads, citations, uploads, statistics.

Every read asks `wiki.access` (through `embargo.can_download` for files).
"""

import io
import json
import os
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from wiki import access
from wiki.models import WorkspaceAccess

from . import citation, embargo, files, statistics
from .models import DeliverableFile, DeliverableIdentifier, DeliverablePage

STREAM_CHUNK = 64 * 1024
# Content that a browser could run: always sent as opaque bytes.
NEVER_INLINE = re.compile(r"html|svg|xml|javascript|ecmascript", re.IGNORECASE)


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _current_locale():
    return Locale.objects.filter(language_code=get_language()).first()


def _readable_page(request, page_id):
    page = get_object_or_404(DeliverablePage, pk=page_id)
    if not access.can_view_page(request.user, page):
        return page, _refuse(request)
    return page, None


# Permanent links ---------------------------------------------------------------------------


@login_not_required
def permalink(request, identifier, version=None):
    """/<lang>/…/id/CDP-2026-0007/ (and …/v2/): redirect to the page where it lives now."""
    row = get_object_or_404(DeliverableIdentifier, identifier=identifier.upper())
    page = row.page(_current_locale())
    if page is None or not page.live:
        return render(request, "repository/gone.html", {"identifier": row.identifier}, status=410)
    if version is not None:
        chain = page.version_chain()
        if not 1 <= version <= len(chain):
            raise Http404
        page = chain[version - 1]
    if not access.can_view_page(request.user, page):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return redirect(page.url)


# Downloads ---------------------------------------------------------------------------------


def licence_gate(request, page, deliverable_file):
    """A response asking the reader to accept the deliverable's licence first, or None.

    The licensing app decides (recorded acceptance of the licence's current version).
    """
    if not page.licence_id:
        return None
    try:
        from licensing.acceptance import gate
    except ImportError:  # pragma: no cover - licensing without acceptance
        return None
    return gate(request, page.licence, page)


def deliverable_stream(request, page, deliverable_file):
    """(open file, size, file name, MIME type) of what to send for one file.

    Under a licence, the licensing app may deliver a stamped copy (cover page for PDFs,
    terms alongside other files); otherwise the stored file itself.
    """
    document = deliverable_file.document
    if page.licence_id:
        try:
            from licensing.stamping import deliver
        except ImportError:  # pragma: no cover - licensing without stamping
            deliver = None
        if deliver is not None:
            delivered = deliver(
                document,
                page.licence,
                page.identifier,
                page.permanent_url(request),
                (get_language() or "fr")[:2],
                page.title,
            )
            handle = open(delivered.path, "rb")  # noqa: SIM115 - closed by the streaming generator
            size = os.fstat(handle.fileno()).st_size
            return handle, size, delivered.filename, delivered.content_type
    return document.file.open("rb"), document.file.size, document.filename, deliverable_file.mime_type


def _parse_range(header, size):
    """(start, end) inclusive for a single "bytes=" range, None for none/several, "bad" if unsatisfiable."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if start >= size or (last and int(last) < start):
            return "bad"
    else:
        length = int(last)
        if length == 0:
            return "bad"
        start, end = max(size - length, 0), size - 1
    return start, end


def _chunks(handle, start, length):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(STREAM_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def stream_file(request, handle, size, filename, mime_type):
    """A streaming response for `handle`, honouring one HTTP Range, with safe headers."""
    content_type = mime_type or "application/octet-stream"
    if NEVER_INLINE.search(content_type) or content_type not in files.ALLOWED_TYPES:
        content_type = "application/octet-stream"
    byte_range = _parse_range(request.headers.get("Range"), size) if request.method == "GET" else None
    if byte_range == "bad":
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif byte_range:
        start, end = byte_range
        response = StreamingHttpResponse(_chunks(handle, start, end - start + 1), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = StreamingHttpResponse(_chunks(handle, 0, size))
        response["Content-Length"] = str(size)
    response["Content-Type"] = content_type
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def download_file(request, file_id):
    """One file of a deliverable, for those who may read the deliverable, outside any embargo."""
    deliverable_file = get_object_or_404(
        DeliverableFile.objects.select_related("document", "page"), pk=file_id
    )
    page = deliverable_file.page
    if not access.can_view_page(request.user, page):
        return _refuse(request)
    if not embargo.can_download(request.user, page):
        return render(request, "repository/embargoed.html", {"page": page}, status=403)
    gate = licence_gate(request, page, deliverable_file)
    if gate is not None:
        return gate
    handle, size, filename, mime_type = deliverable_stream(request, page, deliverable_file)
    if request.method == "GET" and "Range" not in request.headers:
        statistics.record_download(request, page)
    return stream_file(request, handle, size, filename, mime_type)


@login_not_required
def download(request, page_id):
    """The first file of a deliverable (older links pointed here)."""
    page, refusal = _readable_page(request, page_id)
    if refusal:
        return refusal
    files = page.deliverable_files()
    if not files:
        raise Http404
    return redirect("deliverable_file", files[0].pk)


# Citations ---------------------------------------------------------------------------------

EXPORTS = {
    "bib": ("application/x-bibtex; charset=utf-8", citation.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citation.ris),
    "json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda page, request: json.dumps(citation.csl(page, request), ensure_ascii=False, indent=2),
    ),
}


@login_not_required
def cite(request, page_id, fmt):
    page, refusal = _readable_page(request, page_id)
    if refusal:
        return refusal
    if fmt not in EXPORTS:
        raise Http404
    content_type, render_export = EXPORTS[fmt]
    response = HttpResponse(render_export(page, request), content_type=content_type)
    name = (page.identifier or page.slug) + "." + fmt
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Upload ------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("For example: full report, appendix, slides."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word, OpenDocument, spreadsheet, slides or plain text."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.mime_type = files.validate_upload(uploaded)
        self.text, error = files.extract_uploaded(uploaded, self.mime_type)
        if error in {"damaged", "too_big"}:
            raise ValidationError(files.extraction_error_message(error), code=error)
        return uploaded


def may_manage_files(user, page, may_edit=None):
    """Editors of the deliverable and coordinators of its workspace (`may_edit`: already known)."""
    if not user.is_authenticated:
        return False
    if may_edit if may_edit is not None else page.permissions_for_user(user).can_edit():
        return True
    workspace = page.workspace()
    return workspace is not None and access.is_workspace_manager(user, workspace)


def _collection_for(page):
    workspace_access = WorkspaceAccess.objects.filter(workspace_key=page.workspace_key).first()
    if workspace_access:
        return workspace_access.collection
    return Collection.get_first_root_node()


def add_file(request, page_id):
    """Add a checked file to a deliverable (its editors and its workspace's coordinators)."""
    page = get_object_or_404(DeliverablePage, pk=page_id)
    if not may_manage_files(request.user, page):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        with transaction.atomic():
            document = get_document_model()(
                title=form.cleaned_data["label"] or uploaded.name,
                collection=_collection_for(page),
                uploaded_by_user=request.user,
            )
            document.file.save(uploaded.name, uploaded, save=False)
            document.save()
            size, mime_type, sha256 = files.describe(document.file)
            draft = page.get_latest_revision_as_object()
            had_draft = page.has_unpublished_changes
            draft.files.add(
                DeliverableFile(
                    document=document,
                    label=form.cleaned_data["label"],
                    size=size,
                    mime_type=form.mime_type,
                    sha256=sha256,
                    text=form.text,
                    text_extracted_at=timezone.now(),
                )
            )
            revision = draft.save_revision(user=request.user, log_action=True)
            if page.live and not had_draft:
                # Coordinators of the originating workspace may publish a file addition even
                # without the repository's page permissions (checked by may_manage_files above).
                revision.publish(user=request.user, skip_permission_checks=True)
                messages.success(request, _("The file was added and published."))
            else:
                messages.success(
                    request, _("The file was added to the draft; publish the deliverable to show it.")
                )
        return redirect(page.url if page.live else "deliverable_add_file", *([] if page.live else [page.pk]))
    return render(
        request, "repository/add_file.html", {"page": page, "form": form}, status=400 if form.errors else 200
    )


# Statistics --------------------------------------------------------------------------------


def may_see_dashboard(user):
    """Repository editors (who may publish deliverables) and workspace coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or (user.has_perm("wagtailadmin.access_admin") and _edits_repository(user)):
        return True
    from wiki.models import Membership

    return any(m.is_manager for m in Membership.objects.current().filter(user=user))


def _edits_repository(user):
    from .models import RepositoryIndexPage

    index = RepositoryIndexPage.objects.first()
    return index is not None and index.permissions_for_user(user).can_publish_subpage()


def _dashboard_rows(request):
    pages = list(
        access.viewable_pages(
            request.user, DeliverablePage.objects.filter(locale=_current_locale())
        ).order_by("title")
    )
    totals = statistics.totals([p.translation_key for p in pages])
    identifiers = dict(
        DeliverableIdentifier.objects.filter(
            translation_key__in=[p.translation_key for p in pages]
        ).values_list("translation_key", "identifier")
    )
    rows = []
    for page in pages:
        views, downloads = totals.get(page.translation_key, (0, 0))
        rows.append(
            {
                "page": page,
                "identifier": identifiers.get(page.translation_key, ""),
                "views": views,
                "downloads": downloads,
            }
        )
    rows.sort(key=lambda row: (-row["downloads"], -row["views"], row["page"].title))
    return rows


def dashboard(request):
    if not may_see_dashboard(request.user):
        raise PermissionDenied
    return render(request, "repository/dashboard.html", {"rows": _dashboard_rows(request)})


def dashboard_csv(request):
    if not may_see_dashboard(request.user):
        raise PermissionDenied
    output = io.StringIO()
    statistics.write_csv(
        output,
        [_("Identifier"), _("Title"), _("Type"), _("Views"), _("Downloads")],
        [
            [
                row["identifier"],
                row["page"].title,
                row["page"].get_deliverable_type_display(),
                row["views"],
                row["downloads"],
            ]
            for row in _dashboard_rows(request)
        ],
    )
    response = HttpResponse("\ufeff" + output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "statistiques-depot.csv")
    return response
