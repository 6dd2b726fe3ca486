"""Attribution a licence requires, as data, text, JSON-LD and Dublin Core.

How `repository` calls it (licensing never imports repository):

- ``credit_line(licence, language, title="…")`` → the ready-to-copy credit line, e.g.
  « Titre » © CLIPP, CAU, … – Licence : Licence du protocole d'entente (LicenseRef-…).
- ``credited_parties(licence, language)`` → the PartnerOrganisation records to name (with their
  logos), in `language`; empty when the licence only asks to credit the authors.
- ``jsonld(licence, language, title=…, url=…)`` → dict with schema.org ``license``,
  ``copyrightHolder`` (every party), ``creditText``, ``usageInfo``, ``conditionsOfAccess``:
  merge it into the item's JSON-LD (or use the ``{% licence_jsonld %}`` tag).
- ``dc_rights(licence, language, title=…)`` → the text for ``dc:rights`` in OAI-PMH (and in the
  stamped PDF's metadata).
- ``licence_page_url(licence, language)`` → the public page of the licence (for
  ``<link rel="license">``: ``{% licence_link licence %}``).
- Template tags (``{% load licensing %}``): ``{% attribution licence title=page.title %}``
  renders names, logos and the credit line in both languages.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def credited_parties(licence, language=None):
    """The organisations every copy must name, in `language` (signature order), with their logos.

    A few queries whatever the number of parties and languages (signatures, then every language
    version of the parties with their logos' renditions), fetched once and remembered on the
    licence instance for the rest of the request, since one page shows them in its attribution,
    its JSON-LD and a credit line per language.
    """
    language = (language or translation.get_language() or "fr")[:2]
    if licence is None or licence.attribution != "parties" or licence.agreement_id is None:
        return []
    if "_party_versions" not in licence.__dict__:
        licence.__dict__["_party_versions"] = _party_versions(licence.agreement_id)
    keys, versions = licence.__dict__["_party_versions"]
    by_key = {}
    for party in versions:
        # The party in `language` when it is translated, else in any language.
        if party.translation_key not in by_key or party.locale.language_code == language:
            by_key[party.translation_key] = party
    return [by_key[key] for key in keys if key in by_key]


def _party_versions(agreement_id):
    """The parties' translation keys in signature order, and every language version of them."""
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    from .models import PartnerOrganisation, Signature

    keys = list(
        Signature.objects.filter(agreement_id=agreement_id)
        .order_by("sort_order", "pk")
        .values_list("party__translation_key", flat=True)
    )
    logos = get_image_model().objects.prefetch_renditions(*LOGO_RENDITIONS)
    versions = list(
        PartnerOrganisation.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .prefetch_related(Prefetch("logo", queryset=logos))
    )
    return keys, versions


def localised_licence(licence, language):
    """`licence.localised(language)`, remembered on the instance for the rest of the request."""
    cache = licence.__dict__.setdefault("_localised", {})
    if language not in cache:
        cache[language] = licence.localised(language)
    return cache[language]


# The renditions the attribution block and the JSON-LD use (fetched with the parties).
LOGO_RENDITIONS = ("height-48", "max-400x400")


def licence_page_url(licence, language=None):
    language = (language or translation.get_language() or "fr")[:2]
    with translation.override(language):
        return reverse("licensing:licence", kwargs={"spdx_id": licence.spdx_id})


def credit_line(licence, language=None, title=""):
    """The credit line to copy under any reuse of a work under `licence`, in `language`."""
    language = (language or translation.get_language() or "fr")[:2]
    if licence is None:
        return ""
    localised = localised_licence(licence, language)
    with translation.override(language):
        parties = credited_parties(licence, language)
        holders = ", ".join(p.acronym or p.name for p in parties)
        statement = _("Licence: %(title)s (%(spdx)s)") % {"title": localised.title, "spdx": localised.spdx_id}
        parts = []
        if title:
            parts.append(_("“%(title)s”") % {"title": title})
        if holders:
            parts.append(_("© %(holders)s") % {"holders": holders})
        elif licence.attribution == "authors":
            parts.append(_("© the authors"))
        return " ".join(parts) + (" – " if parts else "") + statement + "."


def conditions_of_access(licence, language=None):
    language = (language or translation.get_language() or "fr")[:2]
    with translation.override(language):
        if licence.requires_acceptance:
            return _("Free of charge; the terms of the licence must be accepted before the first download.")
        return _("Free of charge, under the terms of the licence.")


def jsonld(licence, language=None, title="", url="", absolute=None):
    """The schema.org properties describing the rights of a work under `licence`.

    `absolute` turns a site path into a full URL (e.g. ``request.build_absolute_uri``).
    """
    if licence is None:
        return {}
    language = (language or translation.get_language() or "fr")[:2]
    absolute = absolute or (lambda path: path)
    page_url = absolute(licence_page_url(licence, language))
    holders = []
    for party in credited_parties(licence, language):
        holder = {"@type": "Organization", "name": party.name}
        if party.acronym:
            holder["alternateName"] = party.acronym
        if party.website:
            holder["url"] = party.website
        if party.logo_id:
            holder["logo"] = absolute(party.logo.get_rendition("max-400x400").url)
        holders.append(holder)
    data = {
        "license": licence.url or page_url,
        "usageInfo": page_url,
        "creditText": credit_line(licence, language, title=title),
        "conditionsOfAccess": conditions_of_access(licence, language),
    }
    if holders:
        data["copyrightHolder"] = holders
    if url:
        data["url"] = url
    return data


def dc_rights(licence, language=None, title=""):
    """The `dc:rights` statement: licence, where to read it, and whom to credit."""
    if licence is None:
        return ""
    language = (language or translation.get_language() or "fr")[:2]
    text = credit_line(licence, language, title=title)
    if licence.url:
        text += " " + licence.url
    return text
