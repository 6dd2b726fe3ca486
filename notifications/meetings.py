"""Announcing a meeting to the members of its workspace when it is scheduled or moved.

Called after the publishing transaction commits. One email per member per meeting, whatever
the number of language copies published; again only when the date or time changes.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wiki import access
from wiki.models import MeetingPage, Membership, WorkspacePage, workspace_of

from . import mail
from .models import EmailSettings, MeetingNotice, WorkspaceSubscription
from .text import html_to_text

logger = logging.getLogger(__name__)


def record_schedule(meeting):
    """Remember the meeting's current date and time as already announced (no email)."""
    MeetingNotice.objects.update_or_create(
        page_id=meeting.pk,
        defaults={
            "meeting_key": meeting.translation_key,
            "start": meeting.start,
            "end": meeting.end,
            "announced_at": timezone.now(),
        },
    )


@transaction.atomic
def _note_schedule(meeting):
    """Record this copy's date and time; returns "new", "moved" or None (nothing to announce)."""
    notices = list(MeetingNotice.objects.select_for_update().filter(meeting_key=meeting.translation_key))
    own = next((n for n in notices if n.page_id == meeting.pk), None)
    if any(n.start == meeting.start and n.end == meeting.end for n in notices):
        outcome = None
    else:
        outcome = "moved" if notices else "new"
    sequence = max((n.sequence for n in notices), default=0) + (1 if outcome == "moved" else 0)
    if own is None:
        own = MeetingNotice(page_id=meeting.pk, meeting_key=meeting.translation_key)
    own.start, own.end, own.sequence = meeting.start, meeting.end, sequence
    if outcome or own.announced_at is None:
        own.announced_at = timezone.now()
    own.save()
    return outcome, own.sequence


def announce(meeting_id):
    """Email the meeting to every member who wants it, if it is new or moved and upcoming."""
    meeting = MeetingPage.objects.filter(pk=meeting_id, live=True).select_related("locale").first()
    if meeting is None:
        return 0
    outcome, sequence = _note_schedule(meeting)
    if outcome is None or meeting.start <= timezone.now():
        return 0
    workspace = workspace_of(meeting)
    if workspace is None:
        return 0
    key = workspace.translation_key
    members = [
        m.user
        for m in Membership.objects.current().filter(workspace_key=key).select_related("user")
        if m.user.is_active and m.user.email
    ]
    muted = set(
        WorkspaceSubscription.objects.filter(workspace_key=key, meetings=False).values_list(
            "user_id", flat=True
        )
    ) | set(EmailSettings.objects.filter(no_email=True).values_list("user_id", flat=True))
    copies = {
        p.locale.language_code: p
        for p in MeetingPage.objects.filter(
            translation_key=meeting.translation_key, live=True
        ).select_related("locale")
    }
    workspaces = {
        w.locale.language_code: w
        for w in WorkspacePage.objects.filter(translation_key=key).select_related("locale")
    }
    messages = []
    for user in members:
        if user.pk in muted:
            continue
        language = mail.user_language(user)
        copy = copies.get(language)
        # A translation not yet brought up to date still shows the old time: send the copy
        # that was just published rather than a wrong date in the reader's language.
        if copy is None or (copy.start, copy.end) != (meeting.start, meeting.end):
            copy = meeting
        if not access.can_view_page(user, copy):
            continue
        message = mail.build(
            user,
            "notifications/email/meeting",
            meeting_context(copy, workspaces.get(language) or workspace, outcome),
            mail.MEETINGS,
            [key],
        )
        message.attach(
            f"{slugify(copy.title) or 'meeting'}.ics",
            ics(copy, sequence),
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
        messages.append(message)
    sent = mail.send(messages)
    logger.info("Meeting %s announced to %s of %s members", meeting.pk, sent, len(members))
    return sent


def meeting_context(meeting, workspace, outcome):
    from wagtail.rich_text import expand_db_html

    agenda_html = expand_db_html(meeting.agenda) if meeting.agenda else ""
    documents = [
        {"title": block.value.title, "url": mail.absolute(block.value.url)}
        for block in meeting.pre_reading
        if block.value is not None
    ]
    location_is_link = meeting.location.startswith(("https://", "http://"))
    return {
        "meeting": meeting,
        "workspace": workspace,
        "moved": outcome == "moved",
        "meeting_url": mail.page_link(meeting),
        "agenda_html": agenda_html,
        "agenda_text": html_to_text(agenda_html),
        "documents": documents,
        "location_is_link": location_is_link,
    }


def ics(meeting, sequence=0):
    """The meeting as an iCalendar file (same UID as the workspace's calendar feed)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//CoP platform//notifications//")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.translation_key}-{meeting.locale.language_code}@cop")
    event.add("sequence", sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end_or_default)
    event.add("dtstamp", timezone.now())
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", mail.page_link(meeting))
    description = f"{meeting.get_mode_display()} — {mail.page_link(meeting)}"
    agenda = html_to_text(meeting.agenda) if meeting.agenda else ""
    event.add("description", f"{description}\n\n{agenda}".strip())
    calendar.add_component(event)
    return calendar.to_ical()
