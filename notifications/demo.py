"""Demo email choices: varied digest frequencies, a watched page, and the demo's meetings
recorded as already announced (loading the demo sends no email)."""

from wagtail.models import Page

from wiki.models import MeetingPage

from . import meetings, preferences
from .models import Frequency, WorkspaceSubscription

# (user name, workspace letter, digest frequency, meeting announcements)
CHOICES = [
    ("member-a", "a", Frequency.DAILY, True),
    ("coordinator-a", "a", Frequency.WEEKLY, True),
    ("member-b", "b", Frequency.WEEKLY, False),
    ("member-c", "c", Frequency.OFF, True),
]
# (user name, workspace letter, slug of the page they watch)
WATCHED = [("member-a", "a", "plan-de-mobilisation"), ("coordinator-b", "b", "rencontre-2")]


def load(context):
    users, workspaces = context["users"], context["workspaces"]
    for meeting in MeetingPage.objects.live():
        meetings.record_schedule(meeting)
    for username, letter, digest, announce in CHOICES:
        if username in users and letter in workspaces:
            WorkspaceSubscription.objects.update_or_create(
                user=users[username],
                workspace_key=workspaces[letter].translation_key,
                defaults={"digest": digest, "meetings": announce},
            )
    for username, letter, slug in WATCHED:
        if username not in users or letter not in workspaces:
            continue
        page = Page.objects.child_of(workspaces[letter]).filter(slug=slug).first()
        if page is not None:
            preferences.set_watching(users[username], page.translation_key, True)
