"""Recorded acceptance of a licence before a download.

How `repository` calls it, at the top of its download view, after the access check::

    from licensing import acceptance

    refusal = acceptance.gate(request, deliverable.licence, deliverable)
    if refusal is not None:
        return refusal  # the terms in the reader's language, with an accept form

``gate`` returns None when the licence needs no acceptance or the person (signed-in user, or
the anonymous session) has accepted its current version. Otherwise it answers with the terms
and a CSRF-protected form that posts to ``licensing:accept``; that view records a
`LicenceAcceptance` (user or session, licence version, object identifier, time, truncated IP,
language) and redirects back to the download. A change of terms raises the version, so
everybody is asked again.
"""

import ipaddress

from django.core import signing
from django.template.response import TemplateResponse
from django.utils import translation

from .models import LicenceAcceptance

SALT = "licensing.acceptance"


def truncate_ip(address):
    """Keep the network, not the person: /24 for IPv4, /48 for IPv6."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def object_identifier(obj):
    """A stable identifier for what is downloaded: a page's translation key, else its label."""
    if obj is None:
        return ""
    key = getattr(obj, "translation_key", None)
    if key is not None:
        return f"{obj._meta.label_lower}:{key}"
    return f"{obj._meta.label_lower}:{obj.pk}"


def _acceptances(request, licence):
    records = LicenceAcceptance.objects.filter(licence_key=licence.translation_key, version=licence.version)
    if request.user.is_authenticated:
        return records.filter(user=request.user)
    if not request.session.session_key:
        return records.none()
    return records.filter(user=None, session_key=request.session.session_key)


def has_accepted(request, licence):
    return _acceptances(request, licence).exists()


def needs_acceptance(request, licence):
    return licence is not None and licence.requires_acceptance and not has_accepted(request, licence)


def gate(request, licence, obj, title=None):
    """None if `request` may download `obj` under `licence`; otherwise the terms to accept."""
    if not needs_acceptance(request, licence):
        return None
    language = (translation.get_language() or "fr")[:2]
    localised = licence.localised(language)
    token = signing.dumps(
        {
            "licence": licence.pk,
            "version": licence.version,
            "object": object_identifier(obj),
            "title": str(title if title is not None else getattr(obj, "title", ""))[:255],
            "next": request.get_full_path(),
        },
        salt=SALT,
    )
    from .attribution import credit_line, credited_parties

    return TemplateResponse(
        request,
        "licensing/accept.html",
        {
            "licence": localised,
            "summary": localised.summary(language).splitlines(),
            "parties": credited_parties(licence, language),
            "credit_line": credit_line(licence, language, title=getattr(obj, "title", "")),
            "object": obj,
            "token": token,
        },
    )


def record(request, licence, identifier, title=""):
    """Record that the person behind `request` accepts the current version of `licence`."""
    if not request.user.is_authenticated:
        # Marks the session modified, so that its cookie reaches the browser.
        request.session["licence_acceptances"] = request.session.get("licence_acceptances", 0) + 1
        if not request.session.session_key:
            request.session.save()
    return LicenceAcceptance.objects.create(
        licence=licence,
        licence_key=licence.translation_key,
        version=licence.version,
        user=request.user if request.user.is_authenticated else None,
        session_key="" if request.user.is_authenticated else request.session.session_key,
        object_identifier=identifier[:255],
        object_title=title[:255],
        language=(translation.get_language() or "")[:8],
        ip_address=truncate_ip(request.META.get("REMOTE_ADDR")),
    )
