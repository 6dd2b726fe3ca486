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
    """The organisations every copy must name, in `language` (signature order)."""
    language = (language or translation.get_language() or "fr")[:2]
    if licence is None or licence.attribution != "parties" or licence.agreement_id is None:
        return []
    agreement = licence.agreement.localised(language)
    return [party.localised(language) for party in agreement.parties()]


def licence_page_url(licence, language=None):
    language = (language or translation.get_language() or "fr")[:2]
    with translation.override(language):
        return reverse("licensing:licence", kwargs={"spdx_id": licence.spdx_id})


def credit_line(licence, language=None, title=""):
    """The credit line to copy under any reuse of a work under `licence`, in `language`."""
    language = (language or translation.get_language() or "fr")[:2]
    if licence is None:
        return ""
    localised = licence.localised(language)
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
