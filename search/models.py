"""The search index of the platform: one row per searchable page or partner organisation.

Rows hold the text that a full-text index reads: an FTS5 table over the analysed columns on
SQLite (see `search.analysis`), a generated `tsvector` column built with PostgreSQL's own
French and English configurations on PostgreSQL (migrations 0002 and 0004). Rows never
hold who may read them: visibility is decided at query time by `wiki.access`, so a privacy
change takes effect at once, without reindexing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """What search knows about one page (workspace, wiki page, meeting, deliverable) or one
    partner organisation: display fields, facet values and analysed text.

    Kept up to date by `search.signals`; rebuilt by `manage.py rebuild_search_index`.
    """

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


class SearchTag(models.Model):
    """One tag of a search entry, for the tag facet."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100, db_index=True)

    class Meta:
        verbose_name = _("search tag")
        verbose_name_plural = _("search tags")

    def __str__(self):
        return self.name
