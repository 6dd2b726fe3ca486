"""Reading a person's email choices, with the defaults that hold when they made none."""

from wiki.models import Membership

from .models import EmailSettings, Frequency, PageReader, WorkspaceSubscription


def wants_no_email(user):
    return EmailSettings.objects.filter(user=user, no_email=True).exists()


def subscriptions(user):
    """The person's subscription for each workspace they currently belong to (created with the
    defaults when missing), in membership order."""
    keys = list(Membership.objects.current().filter(user=user).values_list("workspace_key", flat=True))
    existing = {
        s.workspace_key: s for s in WorkspaceSubscription.objects.filter(user=user, workspace_key__in=keys)
    }
    missing = [WorkspaceSubscription(user=user, workspace_key=key) for key in keys if key not in existing]
    if missing:
        WorkspaceSubscription.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            s.workspace_key: s
            for s in WorkspaceSubscription.objects.filter(user=user, workspace_key__in=keys)
        }
    return [existing[key] for key in keys if key in existing]


def watch_frequency(subs):
    """How often watched pages are reported: as often as the person's most frequent digest,
    weekly when every digest is off (watching a page is a request to hear of it)."""
    chosen = {s.digest for s in subs}
    if Frequency.DAILY in chosen:
        return Frequency.DAILY
    return Frequency.WEEKLY


def set_watching(user, page_key, watching):
    from django.utils import timezone

    reader, _ = PageReader.objects.get_or_create(user=user, page_key=page_key)
    if reader.watching != watching:
        reader.watching = watching
        reader.watched_since = timezone.now() if watching else None
        reader.last_notified_at = None
        reader.save(update_fields=["watching", "watched_since", "last_notified_at"])
    return reader
