"""The licences every installation ships with (created by migration 0004, kept by the demo).

The memorandum licence has no licensor nor agreement on a fresh install: the demo (or an
editor) links it to the KM organisation and to the memorandum once they are recorded.
"""

MEMORANDUM_SPDX = "LicenseRef-CoP-Memorandum"
ALL_RIGHTS_RESERVED_SPDX = "LicenseRef-All-Rights-Reserved"

_CC = {
    "may_reproduce": True,
    "may_communicate": True,
    "may_disseminate": True,
    "may_modify": True,
    "commercial_use": True,
    "exclusive": False,
    # Creative Commons licences cannot be sublicensed.
    "transferable": False,
    "attribution": "authors",
    "approval_required": False,
    "survives_agreement": False,
    "requires_acceptance": False,
}

STANDARD_LICENCES = [
    {
        "spdx_id": MEMORANDUM_SPDX,
        "title_fr": "Licence du protocole d'entente",
        "title_en": "Memorandum of understanding licence",
        "url": "",
        "terms": {
            **_CC,
            "may_modify": False,
            "commercial_use": False,
            "attribution": "parties",
            "approval_required": True,
            "survives_agreement": True,
            "requires_acceptance": True,
        },
    },
    {
        "spdx_id": "CC-BY-4.0",
        "title_fr": "Creative Commons Attribution 4.0 International",
        "title_en": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "terms": _CC,
    },
    {
        "spdx_id": "CC-BY-NC-4.0",
        "title_fr": "Creative Commons Attribution – Pas d'utilisation commerciale 4.0 International",
        "title_en": "Creative Commons Attribution-NonCommercial 4.0 International",
        "url": "https://creativecommons.org/licenses/by-nc/4.0/",
        "terms": {**_CC, "commercial_use": False},
    },
    {
        "spdx_id": "CC-BY-NC-ND-4.0",
        "title_fr": (
            "Creative Commons Attribution – Pas d'utilisation commerciale – Pas de modification "
            "4.0 International"
        ),
        "title_en": "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
        "url": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        "terms": {**_CC, "commercial_use": False, "may_modify": False},
    },
    {
        "spdx_id": ALL_RIGHTS_RESERVED_SPDX,
        "title_fr": "Tous droits réservés",
        "title_en": "All rights reserved",
        "url": "",
        "terms": {
            **_CC,
            "may_reproduce": False,
            "may_communicate": False,
            "may_disseminate": False,
            "may_modify": False,
            "commercial_use": False,
        },
    },
]


def complete_licences(**kwargs):
    """Generate summaries and the first version snapshot of licences a migration created.

    Connected to `post_migrate`: data migrations use historical models, which cannot call
    `Licence.save()` where summaries and versions are made.
    """
    from .models import Licence

    for licence in Licence.objects.filter(summary_fr=""):
        licence.save()
