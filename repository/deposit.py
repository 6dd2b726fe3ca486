"""From workspace to repository: a coordinator deposits a wiki page or a meeting as a deliverable.

The deposit form is pre-filled from the page (title, abstract, type, date, language,
subjects) and proposes the authors of the page's revisions as creators. On submit, the page
is snapshotted as a PDF (`repository.snapshot`), stored in the workspace's collection, and a
DeliverablePage is created as a draft under the repository index, readable by the members of
the workspace once published. The coordinators of the workspace may edit that draft in the
admin (and submit it for approval); publishing stays with the repository's editors.

Who may deposit: the coordinators (leaders, moderators) of the page's workspace, and
administrators — `wiki.access.is_workspace_manager`, on a page they may read.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, Page

from wiki import access
from wiki.models import MeetingPage, Membership, WikiPage, WorkspaceAccess, workspace_of
from wiki.wikilinks import new_page_slug

from . import files, snapshot
from .models import DeliverableCreator, DeliverableFile, DeliverablePage, RepositoryIndexPage

DEPOSITABLE = (WikiPage, MeetingPage)
ABSTRACT_LENGTH = 600
# Words in a wiki page's title that say what kind of deliverable it is (French and English).
TYPE_HINTS = [
    (r"\bplans?\b|\bkm\b|\bgestion des connaissances\b", DeliverablePage.Type.KM_PLAN),
    (r"\bguides?\b", DeliverablePage.Type.GUIDE),
    (r"\boutils?\b|\btools?\b|\bgrilles?\b|\bchecklists?\b", DeliverablePage.Type.TOOL),
    (r"\bprésentations?\b|\bpresentations?\b|\bdiaporamas?\b|\bslides\b", DeliverablePage.Type.PRESENTATION),
    (r"\bcomptes? rendus?\b|\bprocès-verbal\b|\bminutes\b", DeliverablePage.Type.MINUTES),
    (r"\barticles?\b", DeliverablePage.Type.ARTICLE),
]


# What the page proposes -----------------------------------------------------------------


def revision_authors(page):
    """The distinct people who saved revisions of `page`, in the order they first contributed."""
    seen, authors = set(), []
    for revision in page.revisions.exclude(user=None).select_related("user").order_by("created_at", "pk"):
        if revision.user_id not in seen:
            seen.add(revision.user_id)
            authors.append(revision.user)
    if not authors and page.owner_id:
        authors.append(page.owner)
    return authors


def display_name(user):
    return user.get_full_name() or user.get_username()


def guess_type(page):
    if isinstance(page, MeetingPage):
        return DeliverablePage.Type.MINUTES
    title = page.title.lower()
    for pattern, kind in TYPE_HINTS:
        if re.search(pattern, title):
            return kind
    return DeliverablePage.Type.REPORT


def _first_text(page):
    if isinstance(page, MeetingPage):
        sources = [page.decisions, *(_block_text(b) for b in page.minutes), page.agenda]
    else:
        sources = [_block_text(b) for b in page.body]
    for source in sources:
        text = re.sub(r"\s+", " ", strip_tags(str(source or ""))).strip()
        text = re.sub(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]", lambda m: m.group(2) or m.group(1), text)
        if len(text) > 40:
            return text
    return ""


def _block_text(block):
    if block.block_type == "paragraph":
        return block.value.source
    if block.block_type == "callout":
        return block.value["text"].source
    if block.block_type == "quote":
        return str(block.value)
    return ""


def proposed_abstract(page):
    """The page's search description, or the start of its first substantial paragraph."""
    text = page.search_description.strip() or _first_text(page)
    return Truncator(text).chars(ABSTRACT_LENGTH)


def initial_values(page, authors):
    if isinstance(page, MeetingPage):
        issued = timezone.localtime(page.start).date()
        subjects = ""
    else:
        issued = timezone.localtime(page.last_published_at).date() if page.last_published_at else None
        subjects = ", ".join(tag.name for tag in page.tags.all())
    return {
        "title": page.title,
        "deliverable_type": guess_type(page),
        "abstract": proposed_abstract(page),
        "date_issued": issued or timezone.localdate(),
        "languages": page.locale.language_code if page.locale.language_code in {"fr", "en"} else "fr",
        "subjects": subjects,
        "creators": [str(user.pk) for user in authors],
        "access_level": DeliverablePage.Access.MEMBERS,
    }


# The form --------------------------------------------------------------------------------


class DepositForm(forms.Form):
    """The metadata of the new deliverable, pre-filled from the page; editable before deposit."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    deliverable_type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=DeliverablePage.Type.choices,
        help_text=gettext_lazy("Guessed from the page; minutes for a meeting."),
    )
    abstract = forms.CharField(
        label=gettext_lazy("Abstract"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=gettext_lazy("A summary of a few sentences. Proposed from the page's introduction."),
    )
    date_issued = forms.DateField(
        label=gettext_lazy("Date issued"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Date of the meeting, or of the page's last publication."),
    )
    languages = forms.ChoiceField(label=gettext_lazy("Language"), choices=DeliverablePage.Languages.choices)
    subjects = forms.CharField(
        label=gettext_lazy("Subjects"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Separated by commas. Proposed from the page's tags."),
    )
    creators = forms.MultipleChoiceField(
        label=gettext_lazy("Creators"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "The people who wrote revisions of the page. Untick those who should not be credited; "
            "you can add others in the deliverable's edit view."
        ),
    )
    access_level = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=DeliverablePage.Access.choices,
        help_text=gettext_lazy("Who may see the deliverable once it is published."),
    )

    def __init__(self, *args, authors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creators"].choices = [(str(user.pk), display_name(user)) for user in authors]

    def clean_subjects(self):
        names = [name.strip() for name in self.cleaned_data["subjects"].split(",")]
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise forms.ValidationError(_("A subject is at most 100 characters long."))
        return list(dict.fromkeys(name for name in names if name))


# Permission and lookups ---------------------------------------------------------------------


def may_deposit(user, page):
    """May `user` deposit `page` (a wiki page or a meeting) as a deliverable?"""
    if not user.is_authenticated or not isinstance(page, DEPOSITABLE):
        return False
    workspace = workspace_of(page)
    return (
        workspace is not None
        and access.can_view_page(user, page)
        and access.is_workspace_manager(user, workspace)
    )


def repository_index(locale):
    return RepositoryIndexPage.objects.filter(locale=locale).first() or RepositoryIndexPage.objects.first()


def _source_page(page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, DEPOSITABLE):
        raise Http404
    return page


# Creating the deliverable ---------------------------------------------------------------------


def _creators(authors, chosen_ids, workspace):
    institutions = dict(
        Membership.objects.filter(
            workspace_key=workspace.translation_key, user__in=[u.pk for u in authors]
        ).values_list("user_id", "institution")
    )
    creators = []
    for user in authors:
        if str(user.pk) not in chosen_ids:
            continue
        family, given = user.last_name.strip(), user.first_name.strip()
        if not family:
            family, given = user.get_username(), ""
        creators.append(
            DeliverableCreator(
                family_name=family[:150],
                given_name=given[:150],
                affiliation=institutions.get(user.pk, "")[:255],
                sort_order=len(creators),
            )
        )
    return creators


def _grant_edit(deliverable, workspace):
    """The workspace's coordinators may complete the draft and submit it; editors publish it."""
    workspace_access = WorkspaceAccess.objects.filter(workspace_key=workspace.translation_key).first()
    if workspace_access is None:
        return
    permission = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.get_or_create(
        group=workspace_access.managers_group, page=deliverable, permission=permission
    )


def deposit(request, page, workspace, authors, data):
    """Snapshot `page`, create the draft deliverable with its file; return the deliverable."""
    index = repository_index(page.locale)
    chosen_names = [display_name(u) for u in authors if str(u.pk) in data["creators"]]
    pdf, text = snapshot.render(
        page,
        workspace=workspace,
        authors=chosen_names or [display_name(u) for u in authors],
        source_url=page.get_full_url(request) or page.url,
        base_url=request.build_absolute_uri("/"),
        user=request.user,
    )
    workspace_access = WorkspaceAccess.objects.filter(workspace_key=workspace.translation_key).first()
    collection = workspace_access.collection if workspace_access else None
    with transaction.atomic():
        document = get_document_model()(
            title=_("%(title)s (snapshot)") % {"title": data["title"]},
            uploaded_by_user=request.user,
            **({"collection": collection} if collection else {}),
        )
        name = f"{slugify(page.title)[:80] or 'page'}-{timezone.localdate():%Y-%m-%d}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        document._set_document_file_metadata()
        document.save()
        size, mime_type, sha256 = files.describe(document.file)
        deliverable = DeliverablePage(
            title=data["title"],
            slug=new_page_slug(index, data["title"]),
            live=False,
            has_unpublished_changes=True,
            owner=request.user,
            locale=index.locale,
            deliverable_type=data["deliverable_type"],
            abstract=data["abstract"],
            date_issued=data["date_issued"],
            languages=data["languages"],
            workspace_key=workspace.translation_key,
            access_level=data["access_level"],
        )
        deliverable.creators = _creators(authors, data["creators"], workspace)
        deliverable.files = [
            DeliverableFile(
                document=document,
                label=_("Snapshot of the page"),
                size=size,
                mime_type=mime_type,
                sha256=sha256,
                text=text,
                text_extracted_at=timezone.now(),
                sort_order=0,
            )
        ]
        if data["subjects"]:
            deliverable.tags.add(*data["subjects"])
        index.add_child(instance=deliverable)
        deliverable.save_revision(user=request.user, log_action=True)
        _grant_edit(deliverable, workspace)
    return deliverable


def deposit_view(request, page_id):
    """GET: the pre-filled form; POST: snapshot the page and create the draft deliverable."""
    page = _source_page(page_id)
    if not may_deposit(request.user, page):
        raise PermissionDenied
    workspace = workspace_of(page)
    if repository_index(page.locale) is None:
        raise Http404
    authors = revision_authors(page)
    form = DepositForm(request.POST or None, authors=authors, initial=initial_values(page, authors))
    if request.method == "POST" and form.is_valid():
        deliverable = deposit(request, page, workspace, authors, form.cleaned_data)
        messages.success(
            request,
            _(
                "“%(title)s” was deposited as a draft deliverable with a snapshot of the page. "
                "Complete its record, then submit it for publication."
            )
            % {"title": deliverable.title},
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=[deliverable.pk]))
    return render(
        request,
        "repository/deposit.html",
        {"source": page, "workspace": workspace, "form": form},
        status=400 if form.errors else 200,
    )
