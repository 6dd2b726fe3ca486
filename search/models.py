"""The search index of the platform: one row per searchable page or partner organisation.

Rows hold the text that a full-text index reads: an FTS5 table over the analysed columns on
SQLite (see `search.analysis`), a generated `tsvector` column built with PostgreSQL's own
French and English configurations on PostgreSQL (migrations 0002 and 0004). Rows never
hold who may read them: visibility is decided at query time by `wiki.access`, so a privacy
change takes effect at once, without reindexing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


def elasticsearch_configured():
    """Is the default search backend Elasticsearch (`ELASTICSEARCH_URL` set)?"""
    backend = settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("BACKEND", "")
    return "elasticsearch" in backend or backend.startswith("search.backends")


class SearchEntry(index.Indexed, models.Model):
    """What search knows about one page (workspace, wiki page, meeting, deliverable) or one
    partner organisation: display fields, facet values and analysed text.

    Kept up to date by `search.signals`; rebuilt by `manage.py rebuild_search_index`. With
    Elasticsearch, these rows are also its documents (`search_fields` below, sent by
    `search.indexing`): text per language with that language's analyzer, facet values, and
    the page's tree path with its ancestors' (`ancestor_paths`) and content type, against which
    the reader's rule (`wiki.access.reader_rule`) is matched at query time.
    """

    # Sent to Elasticsearch by `search.indexing` (which also sees bulk changes), never by
    # Wagtail's save signals; the database backend does not index these rows twice.
    search_auto_update = False
    search_fields = [
        index.SearchField("title_fr", boost=6, es_extra={"analyzer": "cop_french"}),
        index.SearchField("text_fr", es_extra={"analyzer": "cop_french"}),
        index.SearchField("tags_fr", boost=2, es_extra={"analyzer": "cop_french"}),
        index.SearchField("title_en", boost=6, es_extra={"analyzer": "cop_english"}),
        index.SearchField("text_en", es_extra={"analyzer": "cop_english"}),
        index.SearchField("tags_en", boost=2, es_extra={"analyzer": "cop_english"}),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("workspace_key"),
        index.FilterField("deliverable_type"),
        index.FilterField("licence_key"),
        index.FilterField("year"),
        index.FilterField("date"),
        index.FilterField("tag_names"),
        index.FilterField("ancestor_paths"),
        index.FilterField("page_type", type="IntegerField"),
    ]

    class Kind(models.TextChoices):
        WORKSPACE = "workspace", _("Workspace")
        WIKI = "wiki", _("Wiki page")
        MEETING = "meeting", _("Meeting")
        DELIVERABLE = "deliverable", _("Deliverable")
        PARTNER = "partner", _("Partner organisation")

    page = models.OneToOneField(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    partner = models.OneToOneField(
        "licensing.PartnerOrganisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    language = models.CharField(max_length=10, db_index=True)
    workspace_key = models.UUIDField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=255)
    # Plain text the snippets are cut from.
    text = models.TextField(blank=True)
    # Outside address (a partner's site); pages have their own URL.
    url = models.CharField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    year = models.IntegerField(null=True, blank=True)
    deliverable_type = models.CharField(max_length=20, blank=True)
    licence_key = models.UUIDField(null=True, blank=True)
    # Analysed forms (folded stems, see `search.analysis`) read by SQLite's FTS5 index.
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    # The tags as written: PostgreSQL analyses `title`, `text` and these with its own
    # `cop_french` / `cop_english` text search configurations (migration 0004).
    tag_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.title

    @classmethod
    def get_indexed_objects(cls):
        if not elasticsearch_configured():
            return cls.objects.none()
        return cls.objects.select_related("page").prefetch_related("tags")

    # Each language's text goes to fields analysed for that language (stemmer, stop words).
    def title_fr(self):
        return self.title if self.language == "fr" else ""

    def text_fr(self):
        return self.text if self.language == "fr" else ""

    def tags_fr(self):
        return self.tag_text if self.language == "fr" else ""

    def title_en(self):
        return self.title if self.language == "en" else ""

    def text_en(self):
        return self.text if self.language == "en" else ""

    def tags_en(self):
        return self.tag_text if self.language == "en" else ""

    def tag_names(self):
        return [tag.name for tag in self.tags.all()]

    def ancestor_paths(self):
        """The page's tree path and each of its ancestors' (none for a partner)."""
        if self.page_id is None:
            return []
        from wagtail.models import Page

        path = self.page.path
        return [path[: Page.steplen * depth] for depth in range(1, len(path) // Page.steplen + 1)]

    def page_type(self):
        """The content type of the page (None for a partner organisation)."""
        return self.page.content_type_id if self.page_id else None


class SearchTag(models.Model):
    """One tag of a search entry, for the tag facet."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100, db_index=True)

    class Meta:
        verbose_name = _("search tag")
        verbose_name_plural = _("search tags")

    def __str__(self):
        return self.name
