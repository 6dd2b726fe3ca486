"""What each translation was made from, and which objects editors asked to translate.

Neither Wagtail nor wagtail-localize remembers which state of the source a translation
matches once it is published by hand (copy_for_translation + edit), so this app keeps it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class TranslationSync(models.Model):
    """The state of a source page or snippet that one translation was last brought up to date with.

    One row per translated object (translation key + model) and target locale. Written when
    the translation is published or saved (by hand or through wagtail-localize); the status
    view compares `source_hash` with the hash of the source's current content, and
    `source_snapshot` with its current text to say what changed.
    """

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        help_text=_("Base model of the translated object (Page for every page type)."),
    )
    translation_key = models.UUIDField(help_text=_("Key shared by the source and its translations."))
    source_locale = models.ForeignKey(
        Locale, on_delete=models.CASCADE, related_name="+", help_text=_("Language of the source.")
    )
    target_locale = models.ForeignKey(
        Locale, on_delete=models.CASCADE, related_name="+", help_text=_("Language of the translation.")
    )
    source_revision_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Latest revision of the source page when the translation was updated."),
    )
    source_hash = models.CharField(max_length=64, help_text=_("Hash of the source's translatable text."))
    source_snapshot = models.JSONField(
        default=dict, help_text=_("The source's translatable text, field by field, at that time.")
    )
    synced_at = models.DateTimeField(help_text=_("When the translation was last updated."))

    class Meta:
        verbose_name = _("translation sync")
        verbose_name_plural = _("translation syncs")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "translation_key", "target_locale"], name="unique_translation_sync"
            )
        ]

    def __str__(self):
        return f"{self.translation_key} → {self.target_locale}"


class TranslationRequest(models.Model):
    """An editor's flag saying that a page or snippet needs (re)translation into a language.

    Cleared (resolved) automatically when that translation is next updated.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, help_text=_("Base model of the object to translate.")
    )
    translation_key = models.UUIDField(help_text=_("Key shared by the source and its translations."))
    target_locale = models.ForeignKey(
        Locale,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Language it should be translated into."),
    )
    note = models.CharField(
        max_length=255, blank=True, help_text=_("Optional: what should be translated or checked.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who asked for the translation."),
    )
    requested_at = models.DateTimeField(auto_now_add=True, help_text=_("When it was asked for."))
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the translation was updated; empty while pending.")
    )

    class Meta:
        verbose_name = _("translation request")
        verbose_name_plural = _("translation requests")

    def __str__(self):
        return f"{self.translation_key} → {self.target_locale}"


class TagLabel(TranslatableMixin, models.Model):
    """How one (global, language-neutral) Wagtail tag is named in each language.

    Wagtail's tags are shared by every language and copied to translations, so the tag itself
    stays the key (synchronised) and each translation of this snippet gives its name and slug
    in one language. The tag filter (/fr/etiquettes/<slug>/, /en/tags/<slug>/) accepts either.
    """

    tag = models.ForeignKey(
        "taggit.Tag",
        on_delete=models.CASCADE,
        related_name="labels",
        help_text=_("The tag editors put on pages (the same in every language)."),
    )
    name = models.CharField(
        max_length=100, help_text=_("The tag's name in this language, as readers see it.")
    )
    slug = models.SlugField(
        max_length=100, allow_unicode=True, help_text=_("Address of the tag's page in this language.")
    )

    panels = [FieldPanel("tag"), FieldPanel("name"), FieldPanel("slug")]
    translatable_fields = [TranslatableField("name"), TranslatableField("slug"), SynchronizedField("tag")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("tag name")
        verbose_name_plural = _("tag names")
        constraints = [models.UniqueConstraint(fields=["tag", "locale"], name="unique_tag_label_per_locale")]

    def __str__(self):
        return self.name
