"""The digest: one email per member and frequency with what changed that they have not seen.

For each workspace whose digest is due, the digest lists the pages published by other people
since the previous digest (new meetings, new pages, changed pages), leaving out pages the member
opened after the change; then the changes of the pages they watch. Every page goes through
`wiki.access.viewable_pages`, so a digest never names a page its reader may not open.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from wiki import access
from wiki.models import MeetingPage, WorkspacePage

from . import mail, preferences
from .models import Frequency, PageReader

logger = logging.getLogger(__name__)
PERIODS = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(days=7)}
# A timer that fires a little early (or a run that took long yesterday) still finds the digest due.
SLACK = datetime.timedelta(hours=2)
PUBLISH = "wagtail.publish"


@dataclass
class Item:
    """One page in a digest, shown in the reader's language when it exists in it."""

    page: Page
    kind: str  # "meeting", "new" or "changed"
    authors: list
    when: datetime.datetime
    times: int

    @property
    def url(self):
        return mail.page_link(self.page)


@dataclass
class Section:
    workspace: WorkspacePage
    subscription: object
    meetings: list = field(default_factory=list)
    new_pages: list = field(default_factory=list)
    changed_pages: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.meetings or self.new_pages or self.changed_pages)


@dataclass
class Digest:
    user: object
    frequency: str
    sections: list
    watched: list
    due_subscriptions: list
    watched_rows: list

    @property
    def empty(self):
        return not self.watched and all(s.empty for s in self.sections)


def is_due(last, frequency, now):
    return last is None or last <= now - PERIODS[frequency] + SLACK


def _name(user):
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _changes(user, pages, since, now):
    """Publishes by others of the readable `pages` in (since, now], grouped by translation key."""
    entries = (
        PageLogEntry.objects.filter(action=PUBLISH, timestamp__gt=since, timestamp__lte=now)
        .filter(page__in=access.viewable_pages(user, pages).values("pk"))
        .exclude(user=user)
        .select_related("user")
        .order_by("timestamp")
    )
    by_page = dict(
        Page.objects.filter(pk__in={e.page_id for e in entries}).values_list("pk", "translation_key")
    )
    grouped = defaultdict(list)
    for entry in entries:
        if entry.page_id in by_page:
            grouped[by_page[entry.page_id]].append(entry)
    return grouped


def _items(user, grouped, readers, since_of, language):
    """Digest items for the grouped changes, leaving out what the reader already saw."""
    keep = {}
    for key, entries in grouped.items():
        latest = entries[-1].timestamp
        reader = readers.get(key)
        if reader is not None and reader.last_seen_at is not None and reader.last_seen_at >= latest:
            continue
        keep[key] = entries
    if not keep:
        return []
    copies = defaultdict(dict)
    for page in access.viewable_pages(user, Page.objects.filter(translation_key__in=keep)).select_related(
        "locale"
    ):
        copies[page.translation_key][page.locale.language_code] = page
    items = []
    for key, entries in keep.items():
        if not copies[key]:
            continue
        page = copies[key].get(language) or next(iter(copies[key].values()))
        since = since_of(key)
        if (
            issubclass(page.specific_class, MeetingPage)
            and page.first_published_at
            and page.first_published_at > since
        ):
            kind = "meeting"
        elif page.first_published_at and page.first_published_at > since:
            kind = "new"
        else:
            kind = "changed"
        authors = []
        for entry in entries:
            name = _name(entry.user)
            if name and name not in authors:
                authors.append(name)
        items.append(Item(page.specific, kind, authors, entries[-1].timestamp, len(entries)))
    items.sort(key=lambda item: item.when, reverse=True)
    return items


def _workspace_pages(workspace_key):
    copies = list(WorkspacePage.objects.filter(translation_key=workspace_key).select_related("locale"))
    condition = Q(pk__in=[])
    for copy in copies:
        condition |= Q(path__startswith=copy.path, depth__gte=copy.depth)
    return copies, Page.objects.filter(condition)


def collect(user, frequency, now=None):
    """What the `frequency` digest of `user` would say now (possibly nothing), or None when no
    part of it is due."""
    now = now or timezone.now()
    language = mail.user_language(user)
    subs = preferences.subscriptions(user)
    due = [s for s in subs if s.digest == frequency and is_due(s.last_digest_at, frequency, now)]
    readers = {r.page_key: r for r in PageReader.objects.filter(user=user)}
    watched_rows = []
    if preferences.watch_frequency(subs) == frequency:
        watched_rows = [
            r
            for r in readers.values()
            if r.watching and is_due(r.last_notified_at or r.watched_since, frequency, now)
        ]
    if not due and not watched_rows:
        return None
    joined = {
        m.workspace_key: m.joined
        for m in user.memberships.current().filter(workspace_key__in=[s.workspace_key for s in due])
    }
    watched_keys = {r.page_key for r in readers.values() if r.watching}

    sections = []
    for sub in due:
        since = sub.last_digest_at or now - PERIODS[frequency]
        if sub.workspace_key in joined:
            start_of_membership = timezone.make_aware(
                datetime.datetime.combine(joined[sub.workspace_key], datetime.time())
            )
            since = max(since, start_of_membership)
        copies, pages = _workspace_pages(sub.workspace_key)
        if not copies:
            continue
        workspace = next((c for c in copies if c.locale.language_code == language), copies[0])
        grouped = _changes(user, pages, since, now)
        # Watched pages are reported in their own section, not twice.
        grouped = {key: entries for key, entries in grouped.items() if key not in watched_keys}
        section = Section(workspace, sub)
        for item in _items(user, grouped, readers, lambda key, since=since: since, language):
            {"meeting": section.meetings, "new": section.new_pages, "changed": section.changed_pages}[
                item.kind
            ].append(item)
        sections.append(section)

    watched = []
    if watched_rows:
        oldest = min(r.last_notified_at or r.watched_since or now for r in watched_rows)
        since_of = {r.page_key: r.last_notified_at or r.watched_since or now for r in watched_rows}
        pages = Page.objects.filter(translation_key__in=since_of)
        grouped = _changes(user, pages, oldest, now)
        grouped = {
            key: [e for e in entries if e.timestamp > since_of[key]] for key, entries in grouped.items()
        }
        grouped = {key: entries for key, entries in grouped.items() if entries}
        watched = _items(user, grouped, readers, since_of.__getitem__, language)
    return Digest(user, frequency, sections, watched, due, watched_rows)


def message(digest):
    """The email of a digest that has something to say."""
    sections = [s for s in digest.sections if not s.empty]
    workspace_keys = [s.workspace.translation_key for s in digest.sections]
    return mail.build(
        digest.user,
        "notifications/email/digest",
        {
            "digest": digest,
            "frequency": digest.frequency,
            "daily": digest.frequency == Frequency.DAILY,
            "sections": sections,
            "watched": digest.watched,
            "reasons": [s.workspace for s in digest.sections],
        },
        mail.DIGEST if workspace_keys else mail.WATCHED,
        workspace_keys,
    )


def mark_sent(digest, now):
    for sub in digest.due_subscriptions:
        sub.last_digest_at = now
        sub.save(update_fields=["last_digest_at"])
    for row in digest.watched_rows:
        row.last_notified_at = now
        row.save(update_fields=["last_notified_at"])


def recipients():
    """People who may receive a digest: active, with an address, in a workspace or watching a
    page, and not opted out of all email."""
    from django.contrib.auth import get_user_model

    from wiki.models import Membership

    from .models import EmailSettings

    members = Membership.objects.current().values("user_id")
    watchers = PageReader.objects.filter(watching=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(pk__in=members) | Q(pk__in=watchers))
        .exclude(pk__in=EmailSettings.objects.filter(no_email=True).values("user_id"))
        .order_by("pk")
    )


def send_digests(frequencies, dry_run=False, now=None, log=None):
    """Send every due digest of the given frequencies; returns (sent, skipped as empty)."""
    now = now or timezone.now()
    sent = empty = 0
    for user in recipients().iterator():
        for frequency in frequencies:
            try:
                digest = collect(user, frequency, now)
            except Exception:
                # One person's broken data must not keep everyone else's digest from going out.
                logger.exception("Digest of %s (%s) not built", user.pk, frequency)
                continue
            if digest is None:
                continue
            if digest.empty:
                empty += 1
                if not dry_run:
                    mark_sent(digest, now)
                continue
            if dry_run:
                sent += 1
                if log:
                    count = sum(
                        len(s.meetings) + len(s.new_pages) + len(s.changed_pages) for s in digest.sections
                    )
                    log(
                        f"{user.get_username()} <{user.email}>: {frequency} digest, "
                        f"{count} workspace items, {len(digest.watched)} watched pages"
                    )
                continue
            if mail.send([message(digest)]):
                sent += 1
                mark_sent(digest, now)
    return sent, empty
