"""The institutional repository: one page per deliverable, under a repository index.

A deliverable comes from a workspace (`wiki`) and carries an access level that is
materialised as a page view restriction by `wiki.access.set_page_audience`.
"""

import uuid

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wiki import access
from wiki.blocks import RICH_FEATURES, BodyStreamBlock
from wiki.models import BasePage, WorkspacePage


class DeliverablePageForm(WagtailAdminPageForm):
    """Lets editors pick the originating workspace by name and requires it for members-only access."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "workspace_key" in self.fields:
            workspaces = WorkspacePage.objects.filter(locale__language_code=get_language() or "fr")
            if not workspaces.exists():
                workspaces = WorkspacePage.objects.all()
            choices = [("", "---------")]
            choices += [(str(w.translation_key), w.title) for w in workspaces.order_by("title")]
            field = self.fields["workspace_key"]
            self.fields["workspace_key"] = forms.TypedChoiceField(
                choices=choices,
                coerce=uuid.UUID,
                empty_value=None,
                required=False,
                label=field.label,
                help_text=field.help_text,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access_level") == DeliverablePage.Access.MEMBERS and not cleaned.get("workspace_key"):
            self.add_error(
                "workspace_key",
                _("Choose the originating workspace: members-only deliverables are shown to its members."),
            )
        return cleaned


class RepositoryIndexPage(BasePage):
    """The public entry of the repository: lists the deliverables the reader may see."""

    anonymous_readable = True

    intro = RichTextField(
        features=RICH_FEATURES,
        blank=True,
        verbose_name=_("introduction"),
        help_text=_("A short text above the list of deliverables."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wiki.HomePage"]
    subpage_types = ["repository.DeliverablePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["deliverables"] = access.viewable_pages(
            request.user, DeliverablePage.objects.child_of(self)
        ).order_by("-date_issued", "title")
        return context


class DeliverablePageTag(TaggedItemBase):
    """Subjects of deliverables."""

    content_object = ParentalKey(
        "repository.DeliverablePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class DeliverablePage(BasePage):
    """A deliverable recorded in the repository: a KM plan, a report, a tool, minutes..."""

    anonymous_readable = True

    class Type(models.TextChoices):
        REPORT = "report", _("Report")
        KM_PLAN = "km_plan", _("KM plan")
        TOOL = "tool", _("Tool")
        GUIDE = "guide", _("Guide")
        MINUTES = "minutes", _("Minutes")
        PRESENTATION = "presentation", _("Presentation")
        ARTICLE = "article", _("Article")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        DATASET = "dataset", _("Dataset")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTNERS = "partners", _("Partners")
        MEMBERS = "members", _("Members of the workspace")

    deliverable_type = models.CharField(
        _("type"),
        max_length=20,
        choices=Type.choices,
        default=Type.REPORT,
        help_text=_("What kind of work this is."),
    )
    abstract = models.TextField(_("abstract"), blank=True, help_text=_("A summary of a few sentences."))
    date_issued = models.DateField(
        _("date issued"), null=True, blank=True, help_text=_("Date of publication.")
    )
    workspace_key = models.UUIDField(
        _("originating workspace"),
        null=True,
        blank=True,
        help_text=_("Translation key of the workspace that produced it."),
    )
    access_level = models.CharField(
        _("access"),
        max_length=20,
        choices=Access.choices,
        default=Access.MEMBERS,
        help_text=_("Who may see this deliverable and download its files."),
    )
    licence = models.ForeignKey(
        "licensing.Licence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("licence"),
        help_text=_("The terms under which the deliverable may be used."),
    )
    file = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("file"),
        help_text=_("The main file of the deliverable."),
    )
    body = StreamField(
        BodyStreamBlock(), blank=True, verbose_name=_("description"), help_text=_("Longer description.")
    )
    tags = ClusterTaggableManager(
        through=DeliverablePageTag, blank=True, verbose_name=_("subjects"), help_text=_("Subjects.")
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("abstract"),
        index.SearchField("body"),
        index.FilterField("deliverable_type"),
        index.FilterField("date_issued"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("deliverable_type"),
                FieldPanel("date_issued"),
                FieldPanel("workspace_key"),
                FieldPanel("access_level"),
            ],
            heading=_("Record"),
        ),
        FieldPanel("abstract"),
        FieldPanel("licence"),
        FieldPanel("file"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["repository.RepositoryIndexPage"]
    subpage_types = []
    base_form_class = DeliverablePageForm

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def materialise_access(self):
        audience = {
            self.Access.PUBLIC: "public",
            self.Access.PARTNERS: "signed_in",
            self.Access.MEMBERS: "workspace",
        }[self.access_level]
        access.set_page_audience(self, audience, self.workspace_key)
