"""Helpers that let every app's demo step create bilingual pages idempotently."""

from wagtail.models import Locale, Page


def locales():
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return fr, en


def publish(page, user=None):
    page.save_revision(user=user, log_action=True).publish(user=user)
    return page


def ensure_page(parent, model, slug, fields, en_slug=None, en_fields=None, user=None):
    """Create (or update) a French page under `parent` and its English translation.

    Re-running updates the fields in place and never duplicates a page.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    publish(page, user)
    page.refresh_from_db()
    if en_fields is not None:
        ensure_translation(page, en_slug or slug, en_fields, user=user)
    return page


def ensure_translation(page, slug, fields, user=None):
    _, en = locales()
    translation = page.get_translation_or_none(en)
    if translation is None:
        translation = page.copy_for_translation(en, copy_parents=False)
    translation = translation.specific
    translation.slug = slug
    translation.show_in_menus = page.show_in_menus
    for name, value in fields.items():
        setattr(translation, name, value)
    publish(translation, user)
    return translation


def ensure_snippet_translation(record, fields):
    """The English translation of a French translatable record (a snippet such as a partner or
    an agreement) with `fields` set: copied from the record the first time, then updated in
    place, so re-running never duplicates it."""
    _, en = locales()
    translation = record.get_translation_or_none(en)
    if translation is None:
        translation = record.copy_for_translation(en)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


def tree_root():
    """The tree's root node, recreated when the database was flushed (Wagtail's migration makes it)."""
    root = Page.get_first_root_node()
    if root is None:
        fr, _ = locales()
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=fr))
    return root
