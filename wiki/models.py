"""Workspaces (one per CoP or committee), their wiki pages and meetings, and memberships.

The page tree of each language is::

    HomePage ── WorkspaceIndexPage ── WorkspacePage ─┬─ WikiPage (nested)
                                                     └─ MeetingPage

A `Membership` links a person to a workspace with a role; it is the only source of truth for
who may read and edit a workspace, and `wiki.access` materialises it as Wagtail groups, page
permissions and view restrictions.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import RICH_FEATURES, BodyStreamBlock


class BasePage(Page):
    """Common behaviour of every page of the platform.

    `anonymous_readable` says whether a page type may ever be shown to visitors who are not
    logged in; the platform is private by default, so only a few types set it.
    """

    anonymous_readable = False

    class Meta:
        abstract = True


class HomePage(BasePage):
    """Root of each language tree: the public welcome for visitors, a dashboard for members.

    Other apps add panels to the dashboard through the `cop_home_panels` hook.
    """

    anonymous_readable = True

    intro = RichTextField(
        features=RICH_FEATURES,
        blank=True,
        verbose_name=_("introduction"),
        help_text=_("What the platform is and for whom, shown to every visitor."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["wiki.WorkspaceIndexPage", "repository.RepositoryIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from . import dashboard

        context = super().get_context(request, *args, **kwargs)
        context.update(dashboard.home_context(request, self))
        context["panels"] = [
            panel for fn in hooks.get_hooks("cop_home_panels") if (panel := fn(request, self)) is not None
        ]
        return context


class WorkspaceIndexPage(BasePage):
    """Lists the workspaces a member belongs to and the others they may see."""

    intro = RichTextField(
        features=RICH_FEATURES,
        blank=True,
        verbose_name=_("introduction"),
        help_text=_("A short text above the list of workspaces."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wiki.HomePage"]
    subpage_types = ["wiki.WorkspacePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("workspace index")
        verbose_name_plural = _("workspace indexes")

    def get_context(self, request, *args, **kwargs):
        from . import access

        context = super().get_context(request, *args, **kwargs)
        context["workspaces"] = access.viewable_pages(
            request.user, WorkspacePage.objects.child_of(self).live().order_by("title")
        )
        return context


class WorkspacePage(BasePage):
    """One community of practice or committee: its purpose and the root of its pages.

    Readable only by its members (a group view restriction kept in step with `Membership`).
    """

    class Kind(models.TextChoices):
        COP = "cop", _("Community of practice")
        COMMITTEE = "committee", _("Committee")

    class Policy(models.TextChoices):
        OPEN = "open", _("Open: anyone may ask to join")
        INVITATION = "invitation", _("By invitation")

    class Phase(models.TextChoices):
        DESIGN = "design", _("Design")
        IMPLEMENTATION = "implementation", _("Implementation")
        CONCLUSION = "conclusion", _("Conclusion")

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.COP,
        help_text=_("A community of practice or a committee."),
    )
    acronym = models.CharField(
        _("short name"),
        max_length=20,
        blank=True,
        help_text=_("A letter or short name used in lists, for example « CdP A »."),
    )
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        help_text=_("One or two sentences: why this workspace exists."),
    )
    problem = RichTextField(
        _("problem"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("The practice problem the community works on."),
    )
    membership_policy = models.CharField(
        _("membership policy"),
        max_length=20,
        choices=Policy.choices,
        default=Policy.INVITATION,
        help_text=_("Whether people may ask to join or are invited by a coordinator."),
    )
    phase = models.CharField(
        _("lifecycle phase"),
        max_length=20,
        choices=Phase.choices,
        default=Phase.IMPLEMENTATION,
        help_text=_("Where the community stands in the CoP method."),
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Free content shown on the workspace home."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("purpose"),
        index.SearchField("problem"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("acronym"), FieldPanel("phase")],
            heading=_("Identity"),
        ),
        FieldPanel("purpose"),
        FieldPanel("problem"),
        FieldPanel("membership_policy"),
        FieldPanel("body"),
    ]
    parent_page_types = ["wiki.WorkspaceIndexPage"]
    subpage_types = ["wiki.WikiPage", "wiki.MeetingPage"]

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["memberships"] = (
            Membership.objects.current()
            .filter(workspace_key=self.translation_key)
            .select_related("user")
            .order_by("role", "user__last_name", "user__first_name")
        )
        context["meetings"] = (
            MeetingPage.objects.child_of(self).live().filter(start__gte=timezone.now()).order_by("start")[:5]
        )
        context["pages"] = WikiPage.objects.child_of(self).live().order_by("title")
        context["recent_changes"] = (
            Page.objects.descendant_of(self).live().order_by("-last_published_at")[:10]
        )
        return context


class WikiPageTag(TaggedItemBase):
    """Tags of wiki pages."""

    content_object = ParentalKey("wiki.WikiPage", related_name="tagged_items", on_delete=models.CASCADE)


class WikiPage(BasePage):
    """A co-edited page of a workspace; pages nest to form the workspace's tree."""

    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The content of the page."),
    )
    tags = ClusterTaggableManager(
        through=WikiPageTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Keywords that group related pages."),
    )

    search_fields = [*Page.search_fields, index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("tags")]
    parent_page_types = ["wiki.WorkspacePage", "wiki.WikiPage"]
    subpage_types = ["wiki.WikiPage"]

    class Meta:
        verbose_name = _("wiki page")
        verbose_name_plural = _("wiki pages")


class MeetingPage(BasePage):
    """A meeting of a workspace: when and where, its agenda, and the minutes kept after it."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Videoconference")
        HYBRID = "hybrid", _("Hybrid")

    start = models.DateTimeField(_("start"), help_text=_("Date and time the meeting begins."))
    mode = models.CharField(
        _("mode"),
        max_length=20,
        choices=Mode.choices,
        default=Mode.VIDEO,
        help_text=_("In person, by videoconference, or both."),
    )
    location = models.CharField(
        _("place or link"),
        max_length=255,
        blank=True,
        help_text=_("The room, or the videoconference link."),
    )
    agenda = RichTextField(
        _("agenda"), features=RICH_FEATURES, blank=True, help_text=_("Items to discuss, in order.")
    )
    minutes = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("minutes"),
        help_text=_("What was said and decided, written after the meeting."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("agenda"),
        index.SearchField("minutes"),
        index.FilterField("start"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("mode"), FieldPanel("location")],
            heading=_("When and where"),
        ),
        FieldPanel("agenda"),
        FieldPanel("minutes"),
    ]
    parent_page_types = ["wiki.WorkspacePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")


class MembershipQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(models.Q(left__isnull=True) | models.Q(left__gt=today), joined__lte=today)


class Membership(models.Model):
    """A person's membership of a workspace, with their role.

    Refers to the workspace by its translation key so that one membership covers the French
    and English copies of the workspace alike.
    """

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        COORDINATOR = "coordinator", _("Coordinator")
        MODERATOR = "moderator", _("Moderator")
        FACILITATOR = "facilitator", _("Facilitator")
        PARTICIPANT = "participant", _("Participant")

    MANAGER_ROLES = {Role.LEADER, Role.COORDINATOR, Role.MODERATOR}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    workspace_key = models.UUIDField(
        _("workspace"), db_index=True, help_text=_("Translation key of the workspace.")
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.PARTICIPANT,
        help_text=_("Coordinators, leaders and moderators manage the workspace."),
    )
    joined = models.DateField(_("joined"), default=timezone.localdate)
    left = models.DateField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace_key"], name="one_membership_per_workspace")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

    @property
    def is_manager(self):
        return self.role in self.MANAGER_ROLES

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.joined <= today and (self.left is None or self.left > today)

    def workspace(self, locale=None):
        pages = WorkspacePage.objects.filter(translation_key=self.workspace_key)
        if locale is not None:
            pages = pages.filter(locale=locale)
        return pages.first()


class WorkspaceAccess(models.Model):
    """The Wagtail objects that materialise a workspace's memberships.

    Kept by `wiki.access.sync_workspace`; nobody edits these groups by hand.
    """

    workspace_key = models.UUIDField(unique=True)
    members_group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="+")
    managers_group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="+")
    collection = models.OneToOneField("wagtailcore.Collection", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("workspace access")
        verbose_name_plural = _("workspace access")

    def __str__(self):
        return str(self.workspace_key)
