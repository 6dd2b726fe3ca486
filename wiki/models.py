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
from wagtail import blocks as wagtail_blocks
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import RICH_FEATURES, BodyStreamBlock

MAX_EXPECTED_RESULTS = 3


class WorkspacePageForm(WagtailAdminPageForm):
    """Checks the CoP design the method asks for: one to three expected results."""

    def clean(self):
        cleaned = super().clean()
        results = cleaned.get("expected_results")
        count = len(results) if results else 0
        if cleaned.get("kind") == WorkspacePage.Kind.COP and not 1 <= count <= MAX_EXPECTED_RESULTS:
            self.add_error(
                "expected_results",
                _("A community of practice states one to three expected results (now: %(count)s).")
                % {"count": count},
            )
        return cleaned


class BasePage(Page):
    """Common behaviour of every page of the platform.

    `anonymous_readable` says whether a page type may ever be shown to visitors who are not
    logged in; the platform is private by default, so only a few types set it.
    """

    anonymous_readable = False

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Same restrictions as Wagtail's, loaded once per request with their groups: the one
        # access rule has usually read them already for this page (wiki.access).
        from . import access

        return access.view_restrictions(self)


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
        context["joinable"] = access.joinable_workspaces(
            request.user, WorkspacePage.objects.child_of(self).order_by("title")
        )
        context["pending"] = set(
            JoinRequest.objects.filter(
                user_id=request.user.pk, status=JoinRequest.Status.PENDING
            ).values_list("workspace_key", flat=True)
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

    class Objective(models.TextChoices):
        PROBLEM_SOLVING = "problem_solving", _("Problem solving")
        IDEAS = "ideas", _("Generating ideas")
        SHARING = "sharing", _("Sharing knowledge between institutions")
        BEST_PRACTICES = "best_practices", _("Best practices")
        LESSONS = "lessons", _("Lessons learned")
        AFTER_ACTION = "after_action", _("Post-action reviews")

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
    objective_type = models.CharField(
        _("objective"),
        max_length=30,
        choices=Objective.choices,
        blank=True,
        help_text=_("The kind of objective the community pursues, as in the CoP method."),
    )
    expected_results = StreamField(
        [("result", wagtail_blocks.CharBlock(label=_("Expected result")))],
        blank=True,
        max_num=MAX_EXPECTED_RESULTS,
        verbose_name=_("expected results"),
        help_text=_("One to three concrete results the community commits to."),
    )
    target_audiences = models.TextField(
        _("target audiences"),
        blank=True,
        help_text=_("Who the community's work is for: practitioners, managers, families…"),
    )
    regions = models.CharField(
        _("regions"),
        max_length=255,
        blank=True,
        help_text=_("Administrative regions the community covers, separated by commas."),
    )
    # Institutions are plain text: the wiki may not depend on the licensing app, and the
    # names are shown, not joined on; see the report of issue 3.
    host_institution = models.CharField(
        _("host institution"),
        max_length=255,
        blank=True,
        help_text=_("The institution that hosts and supports the community."),
    )
    participating_institutions = models.TextField(
        _("participating institutions"),
        blank=True,
        help_text=_("One institution per line."),
    )
    external_wiki = models.URLField(
        _("external wiki"),
        blank=True,
        help_text=_("Address of a wiki the community keeps elsewhere, if any."),
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
        MultiFieldPanel(
            [
                FieldPanel("problem"),
                FieldPanel("objective_type"),
                FieldPanel("expected_results"),
                FieldPanel("target_audiences"),
            ],
            heading=_("Design"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("host_institution"),
                FieldPanel("participating_institutions"),
                FieldPanel("regions"),
                FieldPanel("external_wiki"),
            ],
            heading=_("Institutions and links"),
        ),
        FieldPanel("membership_policy"),
        FieldPanel("body"),
    ]
    base_form_class = WorkspacePageForm
    parent_page_types = ["wiki.WorkspaceIndexPage"]
    subpage_types = ["wiki.WikiPage", "wiki.MeetingPage"]

    @property
    def institutions_list(self):
        return [line.strip() for line in self.participating_institutions.splitlines() if line.strip()]

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    # Upcoming meetings kept with the workspace home: more than it shows, so that the list
    # stays full while the first ones start between two content changes.
    KEPT_MEETINGS = 20

    def get_context(self, request, *args, **kwargs):
        from . import access, fragments

        context = super().get_context(request, *args, **kwargs)

        def compute():
            parts = workspace_context(request, self)
            parts["memberships"] = list(
                Membership.objects.current()
                .filter(workspace_key=self.translation_key)
                .select_related("user")
                .order_by("role", "user__last_name", "user__first_name")
            )
            # Kept as the few values the home shows, not whole pages and revisions.
            meetings = access.viewable_pages(
                request.user,
                MeetingPage.objects.child_of(self).filter(start__gte=timezone.now()).order_by("start"),
            )
            parts["upcoming"] = [
                {"title": meeting.title, "url": meeting.get_url(request), "start": meeting.start}
                for meeting in meetings[: self.KEPT_MEETINGS]
            ]
            changes = access.viewable_pages(request.user, Page.objects.descendant_of(self, inclusive=True))
            changes = changes.select_related("latest_revision__user").order_by("-last_published_at")
            parts["recent_changes"] = [
                {
                    "title": change.title,
                    "url": change.get_url(request),
                    "author": _person(change.latest_revision.user if change.latest_revision else None),
                    "last_published_at": change.last_published_at,
                }
                for change in changes[:10]
            ]
            items = ActionItem.objects.filter(
                meeting__in=access.viewable_pages(request.user, MeetingPage.objects.child_of(self)),
                status=ActionItem.Status.OPEN,
            )
            parts["action_items"] = [
                {
                    "description": item.description,
                    "owner": _person(item.owner),
                    "due_date": item.due_date,
                    "meeting": {"title": item.meeting.title, "url": item.meeting.get_url(request)},
                }
                for item in items.select_related("owner", "meeting").order_by("due_date")
            ]
            parts["documents"] = list(workspace_documents(request.user, self)[:10])
            return parts

        if getattr(request, "is_preview", False):
            context.update(compute())  # a draft: never kept
        else:
            # The same for every view by this reader until the content, a membership, a
            # document or access changes (a new generation: wiki.fragments, perf.signals).
            kept = fragments.cached(request, "workspace-home", compute, self.pk, self.live_revision_id)
            context.update(kept)
        now = timezone.now()
        context["meetings"] = [meeting for meeting in context.pop("upcoming") if meeting["start"] >= now][:5]
        context["is_manager"] = access.is_workspace_manager(request.user, self)
        context["is_member"] = access.is_workspace_member(request.user, self)
        return context


def _person(user):
    """How a person is named in lists: full name, else user name; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def workspace_of(page):
    """The workspace a page belongs to (itself for a workspace), or None.

    Kept on the page instance: a page shows it in several places (tree, links, actions).
    """
    if isinstance(page, WorkspacePage):
        return page
    if "_cop_workspace" not in page.__dict__:
        page._cop_workspace = WorkspacePage.objects.filter(locale_id=page.locale_id).ancestor_of(page).first()
    return page._cop_workspace


def workspace_documents(user, workspace):
    """The documents of the workspace's collection this reader may see, newest first."""
    from wagtail.documents import get_document_model

    from . import access

    workspace_access = WorkspaceAccess.objects.filter(workspace_key=workspace.translation_key).first()
    if workspace_access is None:
        return get_document_model().objects.none()
    documents = get_document_model().objects.filter(collection=workspace_access.collection)
    return access.viewable_documents(user, documents).order_by("-created_at")


def workspace_context(request, workspace):
    """What every page of a workspace shows beside its content: the workspace's page tree."""
    from . import access

    tree = access.viewable_pages(
        request.user,
        Page.objects.descendant_of(workspace).type(WikiPage).order_by("path"),
    ).only("id", "title", "depth", "path", "url_path", "locale_id")
    return {
        "workspace": workspace,
        "page_tree": [(with_url(p, request), p.depth - workspace.depth - 1) for p in tree],
    }


def with_url(page, request):
    """`page` with its address in `cop_url`, worked out once for the fragments that keep it
    (wiki.fragments): Wagtail's {% pageurl %} costs a site look-up for every link."""
    page.cop_url = page.get_url(request)
    return page


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

    def get_context(self, request, *args, **kwargs):
        from . import fragments, wikilinks

        context = super().get_context(request, *args, **kwargs)

        def compute():
            parts = {}
            workspace = workspace_of(self)
            if workspace is not None:
                parts.update(workspace_context(request, workspace))
            parts["body_html"], parts["toc"] = wikilinks.render_body(self.body, self, request.user)
            backlinks = wikilinks.backlinks(self, request.user)
            parts["backlinks"] = [with_url(source, request) for source in backlinks]
            parts["tags"] = [tag.name for tag in self.tags.all()]
            return parts

        if getattr(request, "is_preview", False):
            context.update(compute())  # a draft: never kept
        else:
            # The same for every view of this revision by this reader (wiki.fragments).
            context.update(fragments.cached(request, "wiki-page", compute, self.pk, self.live_revision_id))
        if "workspace" in context:
            self._cop_workspace = context["workspace"]  # workspace_of() without a query
        return context


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
    end = models.DateTimeField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("When the meeting ends; calendars assume one hour and a half if empty."),
    )
    pre_reading = StreamField(
        [("document", DocumentChooserBlock(label=_("Document")))],
        blank=True,
        verbose_name=_("pre-reading"),
        help_text=_("Documents to read before the meeting."),
    )
    minutes = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("minutes"),
        help_text=_("What was said and decided, written after the meeting."),
    )
    decisions = RichTextField(
        _("decisions"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("The decisions taken, one per item."),
    )
    # The optional documentation grid of a meeting, as the CoP method describes it: what the
    # practitioners brought and what the community drew from it. Plain rich-text fields, so
    # that wagtail-localize offers each one for translation.
    grid_profile = RichTextField(
        _("profile of the people supported and practitioners involved"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Documentation grid (optional): who the situation concerns, without identifying anyone."),
    )
    grid_situations = RichTextField(
        _("situations and actions"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Documentation grid: the situations presented and what was done."),
    )
    grid_solutions = RichTextField(
        _("proposed solutions"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Documentation grid: the solutions the members proposed."),
    )
    grid_tools = RichTextField(
        _("tools and resources"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Documentation grid: tools, guides and resources named during the meeting."),
    )
    grid_stance = RichTextField(
        _("professional stance"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Documentation grid: the attitudes and ethical points discussed."),
    )
    grid_impact = RichTextField(
        _("impact on members"),
        features=RICH_FEATURES,
        blank=True,
        help_text=_("Documentation grid: what the members will change or try in their practice."),
    )

    GRID_FIELDS = [
        "grid_profile",
        "grid_situations",
        "grid_solutions",
        "grid_tools",
        "grid_stance",
        "grid_impact",
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("agenda"),
        index.SearchField("minutes"),
        index.SearchField("decisions"),
        *(index.SearchField(name) for name in GRID_FIELDS),
        index.FilterField("start"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end"), FieldPanel("mode"), FieldPanel("location")],
            heading=_("When and where"),
        ),
        FieldPanel("agenda"),
        FieldPanel("pre_reading"),
        InlinePanel("attendees", heading=_("Attendees and attendance"), label=_("Attendee")),
        FieldPanel("minutes"),
        FieldPanel("decisions"),
        InlinePanel("action_items", heading=_("Action items"), label=_("Action item")),
        MultiFieldPanel(
            [FieldPanel(name) for name in GRID_FIELDS],
            heading=_("Documentation grid (optional)"),
            classname="collapsed",
        ),
    ]
    parent_page_types = ["wiki.WorkspacePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    @property
    def end_or_default(self):
        import datetime

        return self.end or self.start + datetime.timedelta(minutes=90)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        workspace = workspace_of(self)
        if workspace is not None:
            context.update(workspace_context(request, workspace))
        context["attendee_list"] = self.attendees.select_related("user")
        context["action_item_list"] = self.action_items.select_related("owner")
        context["grid"] = [
            (self._meta.get_field(name).verbose_name, value)
            for name in self.GRID_FIELDS
            if (value := getattr(self, name))
        ]
        return context


class MeetingAttendee(Orderable):
    """A member expected at a meeting, and whether they came (recorded after the meeting)."""

    class Attendance(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
        help_text=_("A member of the workspace."),
    )
    attendance = models.CharField(
        _("attendance"),
        max_length=20,
        choices=Attendance.choices,
        default=Attendance.EXPECTED,
        help_text=_("Recorded after the meeting."),
    )

    panels = [FieldPanel("user"), FieldPanel("attendance")]

    class Meta(Orderable.Meta):
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return str(self.user)


class ActionItem(Orderable):
    """Something a person agreed at a meeting to do by a date; listed on the workspace home."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(
        _("action"), max_length=255, help_text=_("What is to be done, in one sentence.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("The person who will do it."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, help_text=_("When it is due."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("Open until done or cancelled."),
    )

    panels = [FieldPanel("description"), FieldPanel("owner"), FieldPanel("due_date"), FieldPanel("status")]

    class Meta(Orderable.Meta):
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.description


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
    institution = models.CharField(
        _("institution"),
        max_length=255,
        blank=True,
        help_text=_("The institution the person represents in this workspace."),
    )
    joined = models.DateField(
        _("joined"), default=timezone.localdate, help_text=_("First day of membership.")
    )
    left = models.DateField(
        _("left"), null=True, blank=True, help_text=_("Day the membership ended; empty while it lasts.")
    )

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


class JoinRequest(models.Model):
    """A person's request to join an open workspace, accepted or refused by its coordinators."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("person"),
    )
    workspace_key = models.UUIDField(
        _("workspace"), db_index=True, help_text=_("Translation key of the workspace.")
    )
    message = models.TextField(
        _("message"), blank=True, help_text=_("Why you would like to join, for the coordinators.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created"]

    def __str__(self):
        return f"{self.user} → {self.workspace_key}"


class InvitationQuerySet(models.QuerySet):
    def guest_grants(self, user):
        """The guest invitations `user` accepted that still open their area: not revoked and
        not expired. What `wiki.access` reads to let a guest into one area."""
        return self.filter(
            accepted_by=user,
            area_key__isnull=False,
            revoked_at__isnull=True,
            expires__gt=timezone.now(),
        )


class Invitation(models.Model):
    """A coordinator's invitation to join a workspace, sent by email with a signed link.

    Individual (one address), expiring and revocable. Without an area, accepting it creates the
    membership. With an area (`area_key`), it invites a guest — for example an institution
    submitting a confidential application — who reads only that page and the pages below it
    (and the documents and images they show), until `expires` or until a coordinator revokes
    it; no membership is created and the guest edits nothing (see `wiki.access`).
    """

    workspace_key = models.UUIDField(
        _("workspace"), db_index=True, help_text=_("Translation key of the workspace.")
    )
    area_key = models.UUIDField(
        _("area"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Translation key of the one page (with the pages below it) a guest may read; "
            "empty for an invitation to become a member."
        ),
    )
    email = models.EmailField(_("email"), help_text=_("Address of the person invited."))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.PARTICIPANT
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), help_text=_("The link stops working after this moment."))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]

    def __str__(self):
        return self.email

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires > timezone.now()

    @property
    def is_guest(self):
        return self.area_key is not None

    @property
    def grants_access(self):
        """An accepted guest invitation that still opens its area."""
        return (
            self.is_guest
            and self.accepted_at is not None
            and self.revoked_at is None
            and self.expires > timezone.now()
        )

    def area(self, locale=None):
        """The page the guest may read (in `locale` when it exists there)."""
        pages = Page.objects.filter(translation_key=self.area_key)
        in_locale = pages.filter(locale=locale).first() if locale is not None else None
        return in_locale or pages.first()


class WikiLink(models.Model):
    """A `[[...]]` link written in a page, recorded when the page is published.

    Makes "pages that link here" one query; `target` is empty while the page does not exist.
    """

    source = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="wiki_links_out")
    target = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="wiki_links_in"
    )
    text = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("wiki link")
        verbose_name_plural = _("wiki links")

    def __str__(self):
        return f"[[{self.text}]]"
