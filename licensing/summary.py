"""Human-readable summaries of a licence, generated from its structured terms.

`summarise(licence, "fr")` returns one sentence per line, in the requested language, from the
catalogue (`locale/*/LC_MESSAGES/django.po`): no summary is ever written by hand, so the
French and English summaries always say the same thing as the terms. `Licence.save()` calls it
and stores both summaries; templates show `licence.summary` (the active language).
"""

from django.utils import translation
from django.utils.translation import gettext as _


def _acts(licence):
    acts = []
    if licence.may_reproduce:
        acts.append(_("reproduce the work"))
    if licence.may_communicate:
        acts.append(_("communicate it to the public"))
    if licence.may_disseminate:
        acts.append(_("disseminate it by electronic or telecommunication means"))
    if licence.may_modify:
        acts.append(_("adapt it"))
    return acts


def _join(items):
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def summary_lines(licence, language):
    """The summary of `licence` in `language`, as a list of sentences."""
    with translation.override(language):
        lines = []
        licensor = licence.licensor.localised(language) if licence.licensor_id else None
        agreement = licence.agreement.localised(language) if licence.agreement_id else None
        if licensor is not None:
            lines.append(_("Licensor: %(name)s.") % {"name": licensor.name})
        else:
            lines.append(_("Licensor: the authors."))
        if agreement is not None:
            lines.append(_("Licensees: the parties to “%(agreement)s”.") % {"agreement": agreement.title})
        else:
            lines.append(_("Licensees: everyone."))
        acts = _acts(licence)
        if acts:
            lines.append(_("You may %(acts)s.") % {"acts": _join(acts)})
        else:
            lines.append(_("All rights reserved: no use is granted beyond what the law allows."))
        if acts and not licence.may_modify:
            lines.append(_("No adaptation or derived work is allowed."))
        if acts:
            if licence.commercial_use:
                lines.append(_("Commercial use is allowed."))
            else:
                lines.append(_("For non-commercial purposes only."))
            lines.append(
                _("The licence is %(exclusive)s and %(transferable)s.")
                % {
                    "exclusive": _("exclusive") if licence.exclusive else _("non-exclusive"),
                    "transferable": _("transferable") if licence.transferable else _("non-transferable"),
                }
            )
            if licence.territory:
                lines.append(_("Territory: %(territory)s.") % {"territory": licence.territory})
            else:
                lines.append(_("No territorial limit."))
            if licence.duration:
                lines.append(_("Duration: %(duration)s.") % {"duration": licence.duration})
            else:
                lines.append(_("No time limit."))
        if licence.attribution == "parties":
            lines.append(_("Every copy must show the name and logo of every party."))
        elif licence.attribution == "authors":
            lines.append(_("Every copy must credit the authors."))
        else:
            lines.append(_("No attribution is required."))
        if licence.approval_required:
            lines.append(
                _("No change without the prior agreement of the Steering Committee, as long as it exists.")
            )
        if licence.survives_agreement:
            lines.append(_("These terms survive the end of the agreement."))
        if licence.requires_acceptance:
            lines.append(_("You must accept these terms before your first download."))
        return lines


def summarise(licence, language):
    """The summary of `licence` in `language` as text, one sentence per line."""
    return "\n".join(summary_lines(licence, language))
