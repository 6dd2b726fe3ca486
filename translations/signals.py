"""Record what each translation was made from, whenever it is published or saved."""

from django.apps import apps
from django.db.models.signals import post_save
from wagtail.signals import page_published

from .status import SNIPPET_MODELS, record_sync


def _page_published(sender, instance, revision=None, **kwargs):
    record_sync(instance, user=getattr(revision, "user", None))


def _snippet_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    record_sync(instance)


page_published.connect(_page_published, dispatch_uid="translations_page_published")
for _label in SNIPPET_MODELS:
    post_save.connect(
        _snippet_saved, sender=apps.get_model(_label), dispatch_uid=f"translations_sync_{_label}"
    )
