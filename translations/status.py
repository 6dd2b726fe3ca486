"""Which pages and records lack a translation, which translations are out of date, and why.

A translation is out of date when the translatable text of its source differs from the text
it was last brought up to date with (recorded in `TranslationSync` when the translation is
published). Republishing a source without changing its text flags nothing.
"""

import difflib
import hashlib
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_localize.fields import TranslatableField, get_translatable_fields
from wagtail_localize.models import TranslationSource

from .models import TranslationRequest, TranslationSync

# Translatable snippets shown in the status view ("records" in the issue). The controlled lists
# (deliverable types, regions, access levels) are gettext choices, not records: the message
# catalogue translates them and tests/i18n checks it is complete.
SNIPPET_MODELS = [
    "licensing.PartnerOrganisation",
    "licensing.Agreement",
    "licensing.Licence",
    "translations.TagLabel",
]

# Rows of a child relation whose text a translator translates with their parent, though
# wagtail-localize synchronises the relation: an amendment added to or changed in the French
# memorandum makes its English version out of date. {model label: {relation: fields}}.
CHILD_TEXT = {"licensing.agreement": {"amendments": ("summary", "text")}}

# A changed slug needs no translator: each language has its own.
IGNORED_FIELDS = {"slug"}

MISSING = "missing"
OUTDATED = "outdated"
CURRENT = "current"

STATE_LABELS = {
    MISSING: _("Not translated"),
    OUTDATED: _("Out of date"),
    CURRENT: _("Up to date"),
}


def snippet_models():
    return [apps.get_model(label) for label in SNIPPET_MODELS]


def translatable_field_names(model):
    names = [
        f.field_name
        for f in get_translatable_fields(model)
        if isinstance(f, TranslatableField) and f.field_name not in IGNORED_FIELDS
    ]
    return names + list(CHILD_TEXT.get(model._meta.label_lower, {}))


def _child_text(obj, relation, fields):
    rows = sorted(
        getattr(obj, relation).all(), key=lambda row: (getattr(row, "sort_order", 0) or 0, row.pk or 0)
    )
    return " ".join(" ".join(_field_text(row, name) for name in fields) for row in rows).strip()


def _field_text(obj, name):
    child_fields = CHILD_TEXT.get(obj._meta.label_lower, {}).get(name)
    if child_fields:
        return _child_text(obj, name, child_fields)
    try:
        model_field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    value = getattr(obj, name, None)
    if value is None:
        return ""
    if isinstance(model_field, StreamField):
        return " ".join(str(part) for part in model_field.get_searchable_content(value) if part)
    if isinstance(model_field, RichTextField):
        return " ".join(strip_tags(str(value)).split())
    if not model_field.concrete or model_field.is_relation:
        return ""
    return str(value)


def snapshot(obj):
    """The translatable text of `obj`, field by field (what a translator has to translate)."""
    return {name: _field_text(obj, name) for name in translatable_field_names(type(obj))}


def content_hash(snap):
    return hashlib.sha256(json.dumps(snap, sort_keys=True).encode()).hexdigest()


def base_content_type(obj):
    model = Page if isinstance(obj, Page) else obj.get_translation_model()
    return ContentType.objects.get_for_model(model)


def _localize_source_locales(content_type, keys):
    """Source locale ids chosen through wagtail-localize, by translation key."""
    rows = TranslationSource.objects.filter(object__content_type=content_type, object_id__in=keys)
    return {row["object_id"]: row["locale_id"] for row in rows.values("object_id", "locale_id")}


def localize_sources(content_type, keys):
    return {
        ts.object_id: ts
        for ts in TranslationSource.objects.filter(object__content_type=content_type, object_id__in=keys)
    }


def source_of(obj):
    """The object a translation group was translated from.

    wagtail-localize's source when there is one, otherwise the oldest member of the group
    (the original, of which the others are copies).
    """
    members = list(type(obj).objects.filter(translation_key=obj.translation_key).order_by("pk"))
    ct = base_content_type(obj)
    source_locale = _localize_source_locales(ct, [obj.translation_key]).get(obj.translation_key)
    for member in members:
        if member.locale_id == source_locale:
            return member
    return members[0] if members else obj


def record_sync(translation, user=None):
    """Remember that `translation` now matches the current content of its source.

    Called whenever a translation is published (pages) or saved (snippets), whether by hand
    or through wagtail-localize. Also resolves pending "needs translation" flags.
    """
    source = source_of(translation)
    if source.pk == translation.pk:
        return None
    source = source.specific if isinstance(source, Page) else source
    snap = snapshot(source)
    ct = base_content_type(translation)
    sync, _ = TranslationSync.objects.update_or_create(
        content_type=ct,
        translation_key=translation.translation_key,
        target_locale_id=translation.locale_id,
        defaults={
            "source_locale_id": source.locale_id,
            "source_revision_id": getattr(source, "live_revision_id", None),
            "source_hash": content_hash(snap),
            "source_snapshot": snap,
            "synced_at": timezone.now(),
        },
    )
    TranslationRequest.objects.filter(
        content_type=ct,
        translation_key=translation.translation_key,
        target_locale_id=translation.locale_id,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now())
    return sync


def _excerpt(words):
    return Truncator(" ".join(words)).words(12)


def diff(before, after, model):
    """What changed in the source since the translation: one entry per changed field."""
    changes = []
    for name in translatable_field_names(model):
        old, new = before.get(name, ""), after.get(name, "")
        if old == new:
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and model_field.one_to_many:
            label = model_field.related_model._meta.verbose_name_plural
        else:
            label = getattr(model_field, "verbose_name", name)
        old_words, new_words = old.split(), new.split()
        removed, added = [], []
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                removed.extend(old_words[i1:i2])
            if tag in ("replace", "insert"):
                added.extend(new_words[j1:j2])
        changes.append(
            {"field": str(label).capitalize(), "removed": _excerpt(removed), "added": _excerpt(added)}
        )
    return changes


@dataclass
class StatusRow:
    """One source object and its state in one other language."""

    source: object
    locale: Locale
    state: str
    translation: object = None
    changes: list = field(default_factory=list)
    requested: bool = False
    action_url: str = ""
    edit_url: str = ""
    source_url: str = ""

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def is_page(self):
        return isinstance(self.source, Page)

    @property
    def kind(self):
        """What the source is ("wiki page", "memorandum of understanding"...)."""
        model = self.source.specific_class if self.is_page else type(self.source)
        return model._meta.verbose_name if model is not None else ""


def _state(source, translation, sync, current_snap):
    if sync is not None:
        if sync.source_hash != content_hash(current_snap):
            return OUTDATED, diff(sync.source_snapshot, current_snap, type(source))
        return CURRENT, []
    # Made before this app recorded syncs: fall back to publication times.
    source_time = getattr(source, "last_published_at", None)
    target_time = getattr(translation, "last_published_at", None)
    if source_time and target_time and source_time > target_time:
        return OUTDATED, []
    return CURRENT, []


def _rows_for_groups(groups, content_type, url_for, user=None):
    """`groups`: {translation_key: [objects]} of one base model; returns StatusRows."""
    locales = list(Locale.objects.all())
    keys = list(groups)
    source_locales = _localize_source_locales(content_type, keys)
    ts_by_key = localize_sources(content_type, keys)
    syncs = {
        (s.translation_key, s.target_locale_id): s
        for s in TranslationSync.objects.filter(content_type=content_type, translation_key__in=keys)
    }
    requests = set(
        TranslationRequest.objects.filter(
            content_type=content_type, translation_key__in=keys, resolved_at__isnull=True
        ).values_list("translation_key", "target_locale_id")
    )
    rows = []
    for key, members in groups.items():
        members = sorted(members, key=lambda o: o.pk)
        by_locale = {m.locale_id: m for m in members}
        source = by_locale.get(source_locales.get(key)) or members[0]
        current_snap = None
        for locale in locales:
            if locale.pk == source.locale_id:
                continue
            translation = by_locale.get(locale.pk)
            row = StatusRow(source=source, locale=locale, state=MISSING, translation=translation)
            row.requested = (key, locale.pk) in requests
            if translation is None:
                row.action_url = url_for("submit", source, None, ts_by_key.get(key))
            else:
                if current_snap is None:
                    current_snap = snapshot(source)
                row.state, row.changes = _state(
                    source, translation, syncs.get((key, locale.pk)), current_snap
                )
                row.edit_url = url_for("edit", translation, None, None)
                if row.state == OUTDATED:
                    row.action_url = url_for("update", source, translation, ts_by_key.get(key))
            row.source_url = url_for("edit", source, None, None)
            rows.append(row)
    order = {MISSING: 1, OUTDATED: 0, CURRENT: 2}
    rows.sort(key=lambda r: (order[r.state], str(r.source).lower()))
    return rows


def _page_url(action, obj, translation, translation_source):
    if action == "submit":
        return reverse("wagtail_localize:submit_page_translation", args=[obj.pk])
    if action == "update" and translation_source is not None:
        return reverse("wagtail_localize:update_translations", args=[translation_source.pk])
    if action == "update":
        return reverse("wagtailadmin_pages:edit", args=[translation.pk])
    return reverse("wagtailadmin_pages:edit", args=[obj.pk])


def editable_page_ids(user):
    return set(
        PagePermissionPolicy().instances_user_has_permission_for(user, "change").values_list("pk", flat=True)
    )


def page_rows(user, root):
    """Status of every page under `root` (inclusive), in every language tree of that subtree.

    Only translation groups holding a page the user may edit are shown.
    """
    roots = root.get_translations(inclusive=True)
    pages = Page.objects.none()
    for tree_root in roots:
        pages = pages | Page.objects.descendant_of(tree_root, inclusive=True)
    editable = editable_page_ids(user)
    pages = list(pages.filter(alias_of__isnull=True).specific())
    groups = {}
    for page in pages:
        groups.setdefault(page.translation_key, []).append(page)
    groups = {k: v for k, v in groups.items() if any(p.pk in editable for p in v)}
    return _rows_for_groups(groups, ContentType.objects.get_for_model(Page), _page_url, user)


def snippet_rows(user):
    """Status of the translatable records (partner organisations, memoranda and their amendments,
    licences, tag names) the user may change."""
    rows = []
    finder = AdminURLFinder(user)
    for model in snippet_models():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            continue

        def url_for(action, obj, translation, translation_source, opts=opts):
            if action == "submit":
                return reverse(
                    "wagtail_localize:submit_snippet_translation",
                    args=[opts.app_label, opts.model_name, obj.pk],
                )
            if action == "update" and translation_source is not None:
                return reverse("wagtail_localize:update_translations", args=[translation_source.pk])
            return finder.get_edit_url(translation if action == "update" else obj) or ""

        groups = {}
        for obj in model.objects.all():
            groups.setdefault(obj.translation_key, []).append(obj)
        rows.extend(_rows_for_groups(groups, ContentType.objects.get_for_model(model), url_for, user))
    return rows


def summary(rows):
    counts = {MISSING: 0, OUTDATED: 0, CURRENT: 0}
    for row in rows:
        counts[row.state] += 1
    return counts
