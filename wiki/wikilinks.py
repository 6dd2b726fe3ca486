"""`[[Page title]]` and `[[Workspace:Page title]]` links between pages, resolved for each reader.

A link is written in the text of a page. When the page is shown, each link becomes:

- a link with the target's title, when the reader may see the target (asked of `wiki.access`);
- "create this page" when no page has that title in a workspace where the reader may add pages;
- a neutral "page unavailable" otherwise: a page the reader may not see shows no title, and
  looks exactly like a missing page elsewhere, so its existence is not revealed either.

Links are also recorded (`WikiLink`) when a page is published, so that "pages that link here"
is one query.
"""

import html
import json
import re

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from . import access

LINK_RE = re.compile(r"\[\[([^\[\]<>|]+?)(?:\|([^\[\]<>]+?))?\]\]")
HEADING_RE = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S)
TAG_RE = re.compile(r"<[^>]+>")


def parse(text):
    """The (target, label) pairs written in `text` (HTML or plain), in order."""
    return [
        (html.unescape(m.group(1)).strip(), html.unescape(m.group(2) or "").strip())
        for m in LINK_RE.finditer(text)
    ]


def _workspace_of(page):
    from .models import workspace_of

    return workspace_of(page.specific if type(page) is Page else page)


def resolve(text, source):
    """The page a link written in `source` points to, whatever the reader; and the workspace
    it was looked for in (None when a `Workspace:` prefix names no workspace)."""
    from .models import MeetingPage, WikiPage, WorkspacePage

    workspace = _workspace_of(source)
    title = text
    if ":" in text:
        prefix, rest = (part.strip() for part in text.split(":", 1))
        named = (
            WorkspacePage.objects.filter(locale_id=source.locale_id)
            .filter(_iexact("acronym", prefix) | _iexact("title", prefix))
            .first()
        )
        if named is not None:
            workspace, title = named, rest
    if workspace is None:
        return None, None
    if title.lower() == workspace.title.lower():
        return workspace, workspace
    candidates = (
        Page.objects.descendant_of(workspace)
        .type(WikiPage, MeetingPage)
        .filter(title__iexact=title)
        .order_by("path")
    )
    return candidates.first(), workspace


def _iexact(field, value):
    from django.db.models import Q

    return Q(**{f"{field}__iexact": value})


def resolve_all(texts, source):
    """`resolve` for every link of a page at once: the links to pages of the page's own
    workspace (nearly all of them) in one query, whatever their number."""
    from django.db.models.functions import Lower

    from .models import MeetingPage, WikiPage

    found = {}
    workspace = _workspace_of(source)
    plain = {text for text in texts if ":" not in text}
    if workspace is not None and plain:
        lowered = {text.lower() for text in plain if text.lower() != workspace.title.lower()}
        by_title = {}
        candidates = (
            Page.objects.descendant_of(workspace)
            .type(WikiPage, MeetingPage)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title__in=lowered)
            .order_by("path")
        )
        for page in candidates:
            by_title.setdefault(page.lower_title, page)
        for text in plain:
            if text.lower() == workspace.title.lower():
                found[text] = (workspace, workspace)
            else:
                found[text] = (by_title.get(text.lower()), workspace)
    for text in texts:
        if text not in found:
            found[text] = resolve(text, source)
    return found


def render_links(rendered, source, user):
    """Replace the `[[...]]` of rendered HTML by links fit for this reader.

    Every link is resolved, and every target checked against the access rule, in a constant
    number of queries, however many links the page has.
    """
    rendered = str(rendered)
    texts = {html.unescape(match.group(1)).strip() for match in LINK_RE.finditer(rendered)}
    cache = resolve_all(texts, source) if texts else {}
    targets = {target.pk for target, _workspace in cache.values() if target is not None}
    visible = set(
        access.viewable_pages(user, Page.objects.filter(pk__in=targets)).values_list("pk", flat=True)
    )

    def replace(match):
        text = html.unescape(match.group(1)).strip()
        label = html.unescape(match.group(2) or "").strip()
        target, workspace = cache[text]
        if target is not None and target.pk in visible:
            return format_html('<a class="wikilink" href="{}">{}</a>', target.url, label or target.title)
        if target is None and workspace is not None and _can_add_in(user, workspace):
            page_title = text.split(":", 1)[1].strip() if workspace != _workspace_of(source) else text
            url = reverse("wiki:create_page", args=[workspace.pk]) + "?" + _query(page_title)
            return format_html(
                '<a class="wikilink wikilink-missing" href="{}" title="{}">{}</a>',
                url,
                _("Create this page"),
                format_html("{} ({})", label or page_title, _("create this page")),
            )
        return format_html('<span class="wikilink wikilink-unavailable">{}</span>', _("page unavailable"))

    return mark_safe(LINK_RE.sub(replace, rendered))  # noqa: S308 - parts escaped above


def _query(title):
    from urllib.parse import urlencode

    return urlencode({"title": title})


def _can_add_in(user, workspace):
    if not user.is_authenticated or not access.can_view_page(user, workspace):
        return False
    return workspace.permissions_for_user(user).can_add_subpage()


def table_of_contents(rendered):
    """Give each h2/h3 an anchor and return (html, [(level, text, anchor)])."""
    toc = []
    used = set()

    def replace(match):
        level, attrs, inner = match.group(1), match.group(2), match.group(3)
        text = html.unescape(TAG_RE.sub("", inner)).strip()
        existing = re.search(r'id="([^"]+)"', attrs)
        if existing:
            anchor = existing.group(1)
        else:
            base = slugify(text) or "section"
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            attrs = f'{attrs} id="{anchor}"'
        used.add(anchor)
        toc.append((int(level), text, anchor))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return mark_safe(HEADING_RE.sub(replace, str(rendered))), toc  # noqa: S308 - rewrites our own HTML


def render_body(body, source, user):
    """The page body as HTML with its links resolved for `user`, and its table of contents."""
    rendered = render_links(body.render_as_block(), source, user)
    return table_of_contents(rendered)


def backlinks(page, user):
    """Pages that link to `page` and that this reader may see."""
    return access.viewable_pages(user, Page.objects.filter(wiki_links_out__target=page).distinct()).order_by(
        "title"
    )


def _raw_text(page):
    parts = []
    for name in ("body", "minutes"):
        value = getattr(page, name, None)
        if value is not None:
            parts.append(json.dumps(list(value.raw_data), ensure_ascii=False, default=str))
    for name in ("agenda", "decisions", "problem"):
        parts.append(getattr(page, name, "") or "")
    return "\n".join(parts)


def record_links(page):
    """Store the links of a published page, and point earlier links to it now that it exists."""
    from .models import WikiLink

    page = page.specific
    WikiLink.objects.filter(source=page).delete()
    seen = set()
    for text, _label in parse(_raw_text(page)):
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        target, _workspace = resolve(text, page)
        WikiLink.objects.create(source=page, target=target, text=text[:255])
    for link in WikiLink.objects.filter(target__isnull=True, text__icontains=page.title).select_related(
        "source"
    ):
        if page.title.lower() in link.text.lower():
            target, _workspace = resolve(link.text, link.source)
            if target is not None and target.pk == page.pk:
                link.target = page
                link.save(update_fields=["target"])


def new_page_slug(parent, title):
    base = slugify(title) or "page"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
