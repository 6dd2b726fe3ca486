"""Building and sending the platform's notification emails.

Every email is rendered in its recipient's language (their profile's preferred language, the
same one `translations` uses), has a text and an HTML part, says why it was sent, and carries
a signed one-click unsubscribe link, also as RFC 8058 `List-Unsubscribe` headers.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}

# What an unsubscribe token turns off with one click.
DIGEST = "digest"
MEETINGS = "meetings"
WATCHED = "watched"  # a digest that only reports watched pages


def user_language(user):
    """The language the person chose in their profile, or the site's default."""
    language = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def unsubscribe_token(user, kind, workspace_keys):
    # No timestamp: an old email's link must keep working, and it can only turn mail off.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        {"u": user.pk, "k": kind, "w": sorted(key.hex for key in workspace_keys)}, compress=True
    )


def read_unsubscribe_token(token):
    """(user id, kind, workspace key hexes) of a token; raises signing.BadSignature if forged."""
    data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    if not isinstance(data, dict) or data.get("k") not in (DIGEST, MEETINGS, WATCHED):
        raise signing.BadSignature("Unknown unsubscribe token")
    return int(data["u"]), data["k"], [str(key) for key in data.get("w", [])]


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def page_link(page):
    """A page's address on the site people use (BASE_URL), like every other link of the email.

    Wagtail's full_url would use the Site record's host name, which on a one-site install is
    often a placeholder (localhost).
    """
    url = page.get_url()
    if url is None:
        return absolute("/")
    return url if url.startswith(("http://", "https://")) else absolute(url)


def build(user, templates, context, kind, workspace_keys):
    """The message for `user`: subject, text and HTML from `templates` (a prefix such as
    "notifications/email/digest"), rendered in the user's language."""
    with translation.override(user_language(user)):
        token = unsubscribe_token(user, kind, workspace_keys)
        unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
        context = {
            **context,
            "user": user,
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": absolute(reverse("notifications:preferences")),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string(f"{templates}_subject.txt", context).split())
        text = render_to_string(f"{templates}.txt", context)
        html = render_to_string(f"{templates}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send(messages, connection=None):
    """Send each message on its own; a failure is logged and never stops the others.

    Returns the number of messages sent.
    """
    from django.core.mail import get_connection

    sent = 0
    try:
        connection = connection or get_connection()
    except Exception:
        logger.exception("Notification emails not sent: the mail connection could not be made")
        return 0
    for message in messages:
        message.connection = connection
        try:
            sent += message.send()
        except Exception:
            logger.exception("Notification email to %s not sent", ", ".join(message.to))
    return sent
