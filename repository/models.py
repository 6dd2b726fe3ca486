"""The institutional repository: one page per deliverable, under a repository index.

A deliverable comes from a workspace (`wiki`) and carries an access level that is
materialised as a page view restriction by `wiki.access.set_page_audience`.
"""

import uuid

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
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
        from .browse import browse_context

        context = super().get_context(request, *args, **kwargs)
        context.update(browse_context(request, self))
        return context


class DeliverablePageTag(TaggedItemBase):
    """Subjects of deliverables."""

    content_object = ParentalKey(
        "repository.DeliverablePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class DeliverablePage(BasePage):
    """A deliverable recorded in the repository: a KM plan, a report, a tool, minutes...

    Its metadata follow qualified Dublin Core. It has creators (`DeliverableCreator`), files
    (`DeliverableFile`), a stable identifier (`DeliverableIdentifier`, shared by its
    translations) and monthly statistics (`MonthlyStatistic`). A new version is another
    deliverable whose `previous_version` points to this one.
    """

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

    class Languages(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        BOTH = "fr,en", _("French and English")

    class Region(models.TextChoices):
        QUEBEC = "quebec", _("All of Quebec")
        R01 = "01", _("Bas-Saint-Laurent")
        R02 = "02", _("Saguenay–Lac-Saint-Jean")
        R03 = "03", _("Capitale-Nationale")
        R04 = "04", _("Mauricie")
        R05 = "05", _("Estrie")
        R06 = "06", _("Montréal")
        R07 = "07", _("Outaouais")
        R08 = "08", _("Abitibi-Témiscamingue")
        R09 = "09", _("Côte-Nord")
        R10 = "10", _("Nord-du-Québec")
        R11 = "11", _("Gaspésie–Îles-de-la-Madeleine")
        R12 = "12", _("Chaudière-Appalaches")
        R13 = "13", _("Laval")
        R14 = "14", _("Lanaudière")
        R15 = "15", _("Laurentides")
        R16 = "16", _("Montérégie")
        R17 = "17", _("Centre-du-Québec")

    alternative_title = models.CharField(
        _("alternative title"),
        max_length=255,
        blank=True,
        help_text=_("Another title under which the work is known (Dublin Core: alternative)."),
    )
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
    languages = models.CharField(
        _("language"),
        max_length=10,
        choices=Languages.choices,
        default=Languages.FRENCH,
        help_text=_("Language of the work's content."),
    )
    coverage = models.CharField(
        _("coverage"),
        max_length=10,
        choices=Region.choices,
        blank=True,
        help_text=_("The Quebec region the work is about, if any."),
    )
    version = models.CharField(
        _("version"), max_length=20, default="1", help_text=_("Version number, for example 1 or 2.1.")
    )
    previous_version = models.ForeignKey(
        "repository.DeliverablePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("new version of"),
        help_text=_("The earlier version this deliverable replaces; it stays available."),
    )
    is_part_of = models.ForeignKey(
        "repository.DeliverablePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("part of"),
        help_text=_("A larger deliverable this one belongs to."),
    )
    contributors = ParentalManyToManyField(
        "licensing.PartnerOrganisation",
        blank=True,
        related_name="+",
        verbose_name=_("contributing organisations"),
        help_text=_("Partner organisations that contributed to the work."),
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
    embargo_until = models.DateField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Until this date, only members of the workspace may download the files."),
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
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("main file"),
        help_text=_("The document of the first file, kept in step with the files for other apps."),
    )
    body = StreamField(
        BodyStreamBlock(), blank=True, verbose_name=_("description"), help_text=_("Longer description.")
    )
    tags = ClusterTaggableManager(
        through=DeliverablePageTag, blank=True, verbose_name=_("subjects"), help_text=_("Subjects.")
    )
    files_text = models.TextField(
        _("text of the files"),
        blank=True,
        editable=False,
        help_text=_("Text extracted from the files, for search."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("alternative_title"),
        index.SearchField("abstract"),
        index.SearchField("body"),
        index.SearchField("files_text"),
        index.RelatedFields("creators", [index.SearchField("name")]),
        index.FilterField("deliverable_type"),
        index.FilterField("date_issued"),
        index.FilterField("workspace_key"),
        index.FilterField("languages"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("alternative_title"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("deliverable_type"), FieldPanel("date_issued")]),
                FieldPanel("workspace_key"),
                FieldRowPanel([FieldPanel("access_level"), FieldPanel("embargo_until")]),
            ],
            heading=_("Record"),
        ),
        InlinePanel("creators", heading=_("Creators"), label=_("creator")),
        FieldPanel("contributors"),
        FieldPanel("abstract"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("languages"), FieldPanel("coverage")]),
                FieldRowPanel([FieldPanel("version"), FieldPanel("previous_version")]),
                FieldPanel("is_part_of"),
            ],
            heading=_("Description"),
        ),
        FieldPanel("licence"),
        InlinePanel("files", heading=_("Files"), label=_("file")),
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

    def save(self, *args, **kwargs):
        # The searchable text of the files follows the files, in drafts and revisions alike.
        files = list(self.files.all())
        self.files_text = "\n\n".join(f.text for f in files if f.text)[:FILES_TEXT_LIMIT]
        self.file_id = files[0].document_id if files else None
        return super().save(*args, **kwargs)

    # Identity and versions ---------------------------------------------------------------

    @property
    def identifier(self):
        """The stable identifier (e.g. CDP-2026-0007), or "" before the first publication."""
        if not hasattr(self, "_identifier"):
            row = DeliverableIdentifier.objects.filter(translation_key=self.translation_key).first()
            self._identifier = row.identifier if row else ""
        return self._identifier

    def permanent_url(self, request=None):
        from django.urls import reverse

        if not self.identifier:
            return self.full_url
        path = reverse("deliverable_permalink", args=[self.identifier])
        return request.build_absolute_uri(path) if request else settings.WAGTAILADMIN_BASE_URL + path

    def _in_my_locale(self, page):
        if page is None:
            return None
        return page.get_translation_or_none(self.locale) or page

    def newer_version(self):
        """The live deliverable that replaces this one, in this page's language when it exists."""
        return self._versions()[1]

    def version_chain(self):
        """Every version from the first to the latest, each in this page's language if it exists."""
        return self._versions()[0]

    def _versions(self):
        """(chain of versions, newer version or None), from one query over the version family."""
        return self._cached("versions", self._compute_versions)

    def _compute_versions(self):
        pages = sorted(
            DeliverablePage.objects.filter(translation_key__in=_version_family(self.translation_key))
            .exclude(pk=self.pk)
            .defer("body", "files_text")
            .select_related("locale"),
            key=lambda p: p.path,
        )
        pages.append(self)
        by_pk = {p.pk: p for p in pages}
        by_key = {}
        for page in sorted(pages, key=lambda p: p.path):
            by_key.setdefault(page.translation_key, []).append(page)

        def in_my_locale(page):
            same = [p for p in by_key[page.translation_key] if p.locale_id == self.locale_id]
            return same[0] if same else page

        def newer(page):
            keys = {p.pk for p in by_key[page.translation_key]}
            found = next(
                (p for p in sorted(pages, key=lambda p: p.path) if p.live and p.previous_version_id in keys),
                None,
            )
            return in_my_locale(found) if found else None

        first, seen = self, {self.translation_key}
        while first.previous_version_id:
            previous = by_pk.get(first.previous_version_id)
            if previous is None or previous.translation_key in seen:
                break
            seen.add(previous.translation_key)
            first = in_my_locale(previous)
        chain = [first]
        while (following := newer(chain[-1])) is not None and following.translation_key not in {
            p.translation_key for p in chain
        }:
            chain.append(following)
        return chain, newer(self)

    # Per-request memo of the item page: get_context opens it, so the citation helpers and the
    # template share one query per relation instead of repeating it.

    def _cached(self, name, compute):
        memo = self.__dict__.get("_item_memo")
        if memo is None:
            return compute()
        if name not in memo:
            memo[name] = compute()
        return memo[name]

    def creator_list(self):
        # Creators added without a sort order (NULL) keep the order they were added in.
        return self._cached("creators", lambda: list(self.creators.order_by("sort_order", "pk")))

    def subject_list(self):
        return self._cached("subjects", lambda: list(self.tags.all()))

    def contributor_list(self):
        return self._cached("contributors", lambda: list(self.contributors.all()))

    def _load_record(self):
        """The licence and the identifier in one query (both shown and cited on the item page)."""
        row = (
            DeliverablePage.objects.filter(pk=self.pk)
            .select_related("licence")
            .annotate(
                stable_identifier=models.Subquery(
                    DeliverableIdentifier.objects.filter(translation_key=models.OuterRef("translation_key"))
                    .order_by("pk")
                    .values("identifier")[:1]
                )
            )
            .only("pk", "licence")
            .first()
        )
        if row is not None:
            self.licence = row.licence
            self._identifier = row.stable_identifier or ""

    def deliverable_files(self):
        """The files of this page, or of a translation when this one was translated before any."""
        return self._cached("files", self._compute_files)

    def _compute_files(self):
        files = list(self.files.select_related("document"))
        if files:
            return files
        return list(
            DeliverableFile.objects.filter(page__translation_key=self.translation_key)
            .exclude(page=self)
            .select_related("document")
            .order_by("page__locale__language_code", "sort_order")
        )

    # Embargo -------------------------------------------------------------------------------

    @property
    def under_embargo(self):
        return bool(self.embargo_until and self.embargo_until > timezone.localdate())

    def may_download_files(self, user):
        """The read rule for files: the page's access level, then the embargo."""
        from .embargo import can_download

        return can_download(user, self)

    def workspace(self):
        return self._cached("workspace", self._compute_workspace)

    def _compute_workspace(self):
        if not self.workspace_key:
            return None
        # The workspace in this page's language when it exists, in one query.
        return (
            WorkspacePage.objects.filter(translation_key=self.workspace_key)
            .order_by(
                models.Case(models.When(locale_id=self.locale_id, then=0), default=1),
                "path",
            )
            .first()
        )

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            from .statistics import record_view

            record_view(request, self)
        return response

    def get_context(self, request, *args, **kwargs):
        from . import citation
        from .statistics import monthly_series
        from .views import may_manage_files

        self.__dict__["_item_memo"] = {}
        self._load_record()
        context = super().get_context(request, *args, **kwargs)
        context["files"] = self.deliverable_files()
        chain, newer = self._versions()
        others = {p.pk for p in chain if p.pk != self.pk} | ({newer.pk} if newer else set())
        readable = set()
        if others:
            readable = set(
                access.viewable_pages(request.user, Page.objects.filter(pk__in=others)).values_list(
                    "pk", flat=True
                )
            )
        readable.add(self.pk)
        context["newer_version"] = newer if newer and newer.pk in readable else None
        context["versions"] = [v for v in chain if v.pk in readable]
        context["creators"] = self.creator_list()
        context["contributors"] = self.contributor_list()
        context["subjects"] = self.subject_list()
        context["may_download"] = self.may_download_files(request.user)
        context["apa"] = citation.apa(self, request)
        context["json_ld"] = citation.json_ld(self, request)
        context["citation_meta"] = citation.meta_tags(self, request)
        context["statistics"] = monthly_series(self)
        # Asked once: each answer looks up the page's workflow lock.
        may_edit = self.permissions_for_user(request.user).can_edit()
        context["may_edit"] = may_edit
        context["may_manage_files"] = may_manage_files(request.user, self, may_edit=may_edit)
        context["permanent_url"] = self.permanent_url(request)
        context["workspace"] = self.workspace()
        context["part_of"] = None
        if self.is_part_of_id:
            context["part_of"] = access.viewable_pages(
                request.user, DeliverablePage.objects.filter(pk=self.is_part_of_id)
            ).first()
        return context


FILES_TEXT_LIMIT = 500_000

# The translation keys of every deliverable linked to one (given as a parameter) through
# "new version of", in either direction: the connected component of the version graph, found
# by the database in one recursive query (SQLite and PostgreSQL alike).
VERSION_FAMILY_SQL = """
WITH RECURSIVE links(older, newer) AS (
    SELECT previous.translation_key, page.translation_key
    FROM repository_deliverablepage deliverable
    JOIN wagtailcore_page page ON page.id = deliverable.page_ptr_id
    JOIN wagtailcore_page previous ON previous.id = deliverable.previous_version_id
),
edges(a, b) AS (SELECT older, newer FROM links UNION SELECT newer, older FROM links),
family(member) AS (
    SELECT %s
    UNION
    SELECT edges.b FROM edges JOIN family ON edges.a = family.member
)
SELECT member FROM family
"""


def _version_family(translation_key):
    from django.db import connection
    from django.db.models.expressions import RawSQL

    value = DeliverablePage._meta.get_field("translation_key").get_db_prep_value(translation_key, connection)
    # A constant statement; the one value is a bound parameter.
    return RawSQL(VERSION_FAMILY_SQL, [value])  # noqa: S611


class DeliverableCreator(Orderable):
    """A person who created a deliverable, with their affiliation at the time (Dublin Core creator)."""

    page = ParentalKey(DeliverablePage, related_name="creators", on_delete=models.CASCADE)
    family_name = models.CharField(_("family name"), max_length=150, help_text=_("For example Tremblay."))
    given_name = models.CharField(
        _("given name"), max_length=150, blank=True, help_text=_("For example Marie-Claude.")
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=255,
        blank=True,
        help_text=_("The organisation the person belonged to when creating the work."),
    )
    orcid = models.CharField(
        _("ORCID"), max_length=19, blank=True, help_text=_("For example 0000-0002-1825-0097.")
    )

    panels = [
        FieldRowPanel([FieldPanel("family_name"), FieldPanel("given_name")]),
        FieldRowPanel([FieldPanel("affiliation"), FieldPanel("orcid")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("creator")
        verbose_name_plural = _("creators")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return f"{self.given_name} {self.family_name}".strip()


class DeliverableFile(Orderable):
    """One file of a deliverable: a Wagtail document with its checked type, size, hash and text.

    Size, MIME type (from the content) and SHA-256 are recorded when the file is attached;
    `check_fixity` re-hashes the stored file against them.
    """

    page = ParentalKey(DeliverablePage, related_name="files", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("The file, stored in the workspace's collection."),
    )
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("For example: full report, appendix, slides.")
    )
    size = models.BigIntegerField(_("size"), default=0, editable=False, help_text=_("In bytes."))
    mime_type = models.CharField(_("MIME type"), max_length=100, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    fixity_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.label or self.document.title

    @property
    def filename(self):
        return self.document.filename

    def save(self, *args, **kwargs):
        if self.document_id and (not self.sha256 or not self.size):
            from .files import describe

            self.size, self.mime_type, self.sha256 = describe(self.document.file)
        super().save(*args, **kwargs)


class IdentifierCounter(models.Model):
    """The last number given in a year: identifiers are sequential per year and never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("identifier counter")
        verbose_name_plural = _("identifier counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class DeliverableIdentifier(models.Model):
    """The stable identifier of a deliverable (all its translations), assigned at first publication.

    Rows are never deleted, so an identifier is never reused; when the deliverable is removed
    or stops being public, the row stays and OAI-PMH reports the record as deleted.
    """

    identifier = models.CharField(_("identifier"), max_length=32, unique=True)
    translation_key = models.UUIDField(unique=True)
    created = models.DateTimeField(default=timezone.now)
    # What OAI-PMH needs to answer without loading pages: when it last changed, in which sets.
    datestamp = models.DateTimeField(default=timezone.now, db_index=True)
    deliverable_type = models.CharField(max_length=20, blank=True)
    workspace_key = models.UUIDField(null=True, blank=True)
    was_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")

    def __str__(self):
        return self.identifier

    @classmethod
    @transaction.atomic
    def assign(cls, page):
        """The identifier of `page`, created (CDP-<year>-<number>) if it has none yet."""
        existing = cls.objects.filter(translation_key=page.translation_key).first()
        if existing:
            return existing
        year = timezone.localdate().year
        counter, _created = IdentifierCounter.objects.select_for_update().get_or_create(year=year)
        IdentifierCounter.objects.filter(pk=year).update(last=F("last") + 1)
        counter.refresh_from_db()
        prefix = getattr(settings, "REPOSITORY_IDENTIFIER_PREFIX", "CDP")
        return cls.objects.create(
            identifier=f"{prefix}-{year}-{counter.last:04d}",
            translation_key=page.translation_key,
        )

    def page(self, locale=None):
        pages = DeliverablePage.objects.filter(translation_key=self.translation_key)
        if locale is not None:
            return pages.filter(locale=locale).first() or pages.first()
        return pages.first()


class MonthlyStatistic(models.Model):
    """Views and downloads of one deliverable (all languages together) in one month, COUNTER-style."""

    translation_key = models.UUIDField(db_index=True)
    month = models.DateField(help_text=_("First day of the month."))
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("monthly statistic")
        verbose_name_plural = _("monthly statistics")
        constraints = [
            models.UniqueConstraint(fields=["translation_key", "month"], name="repository_one_stat_per_month")
        ]

    def __str__(self):
        return f"{self.translation_key} {self.month:%Y-%m}"

    @staticmethod
    def this_month():
        return timezone.localdate().replace(day=1)
