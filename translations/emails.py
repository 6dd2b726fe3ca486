"""Emails in the recipient's language (their Wagtail profile's preferred language).

Other apps send a translated email with::

    from translations.emails import send_in_user_language
    send_in_user_language(user, "wiki/email/invitation_subject.txt", "wiki/email/invitation.txt", context)

or, to keep their own sending code, wrap it in ``translation.override(user_language(user))``.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.users.models import UserProfile

LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


def user_language(user, default=settings.LANGUAGE_CODE):
    """The language this user chose (profile), or `default` when they chose none."""
    if user is None or not getattr(user, "pk", None):
        return default
    language = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return language if language in LANGUAGE_CODES else default


def send_in_user_language(
    user, subject_template, body_template, context=None, html_template=None, from_email=None
):
    """Render the subject and body in `user`'s language and send them to their address.

    Returns the number of messages sent (0 when the user has no email address).
    """
    if not user.email:
        return 0
    context = dict(context or {}, user=user)
    with translation.override(user_language(user)):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
        html = render_to_string(html_template, context) if html_template else None
    return send_mail(
        subject, body, from_email or settings.DEFAULT_FROM_EMAIL, [user.email], html_message=html
    )
