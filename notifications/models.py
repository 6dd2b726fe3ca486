"""What members asked to hear by email, and what the platform already told them.

Workspaces and pages are referred to by their translation key, like `wiki.Membership`: one
choice covers the French and English copies alike, and each email shows the copy in the
reader's language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    OFF = "off", _("Off")


class WorkspaceSubscription(models.Model):
    """One member's email choices for one workspace: the digest and meeting announcements.

    A member without a row gets the defaults (weekly digest, meeting announcements on);
    `send_digests` creates the row the first time it looks at the member.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workspace_subscriptions",
        verbose_name=_("person"),
    )
    workspace_key = models.UUIDField(
        _("workspace"), db_index=True, help_text=_("Translation key of the workspace.")
    )
    digest = models.CharField(
        _("digest"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        help_text=_("How often to receive a summary of what changed in this workspace."),
    )
    meetings = models.BooleanField(
        _("meeting announcements"),
        default=True,
        help_text=_("Receive an email when a meeting is scheduled or moved."),
    )
    last_digest_at = models.DateTimeField(
        _("last digest"),
        null=True,
        blank=True,
        help_text=_("End of the period the last digest covered; the next one starts there."),
    )

    class Meta:
        verbose_name = _("workspace subscription")
        verbose_name_plural = _("workspace subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace_key"], name="one_subscription_per_workspace")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_digest_display()}"


class EmailSettings(models.Model):
    """A person's choices that hold for every workspace: for now, whether to receive any email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_settings",
        verbose_name=_("person"),
    )
    no_email = models.BooleanField(
        _("no email"),
        default=False,
        help_text=_("Receive no digest and no announcement from the platform at all."),
    )

    class Meta:
        verbose_name = _("email settings")
        verbose_name_plural = _("email settings")

    def __str__(self):
        return str(self.user)


class PageReader(models.Model):
    """When a person last read a page (any language copy), and whether they watch it.

    Written when a signed-in reader opens a page that changed since they last saw it, so a
    digest never reports what they already read; a watched page's changes get a section of
    their own in the digest.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="page_readings",
        verbose_name=_("person"),
    )
    page_key = models.UUIDField(_("page"), db_index=True, help_text=_("Translation key of the page."))
    last_seen_at = models.DateTimeField(
        _("last seen"), null=True, blank=True, help_text=_("When the person last opened the page.")
    )
    watching = models.BooleanField(
        _("watching"), default=False, help_text=_("Report this page's changes in the digest.")
    )
    watched_since = models.DateTimeField(
        _("watched since"), null=True, blank=True, help_text=_("When the person started watching.")
    )
    last_notified_at = models.DateTimeField(
        _("last reported"),
        null=True,
        blank=True,
        help_text=_("When a digest last reported this watched page's changes."),
    )

    class Meta:
        verbose_name = _("page reader")
        verbose_name_plural = _("page readers")
        constraints = [models.UniqueConstraint(fields=["user", "page_key"], name="one_reader_row_per_page")]

    def __str__(self):
        return f"{self.user} — {self.page_key}"


class MeetingNotice(models.Model):
    """The date and time of one language copy of a meeting as members were last told them.

    Lets the announcement go out once per meeting (not once per language copy or per
    publish) and again only when the date or time changes.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("meeting"),
    )
    meeting_key = models.UUIDField(
        _("meeting"), db_index=True, help_text=_("Translation key of the meeting.")
    )
    start = models.DateTimeField(_("start"), help_text=_("Start members were told."))
    end = models.DateTimeField(_("end"), null=True, blank=True, help_text=_("End members were told."))
    sequence = models.PositiveIntegerField(
        _("sequence"), default=0, help_text=_("How many times the meeting was moved (iCalendar SEQUENCE).")
    )
    announced_at = models.DateTimeField(_("announced"), help_text=_("When the announcement was sent."))

    class Meta:
        verbose_name = _("meeting notice")
        verbose_name_plural = _("meeting notices")

    def __str__(self):
        return f"{self.meeting_key} @ {self.start}"
