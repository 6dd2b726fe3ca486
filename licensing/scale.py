"""Scale data for licensing: a few licences in French and English for the deliverables.

Used by `manage.py generate_scale_data`; keeps any licence that already exists (the demo's).
"""

from .models import Licence

LICENCES = [
    ("CC-BY-4.0", "Creative Commons Attribution 4.0", "Creative Commons Attribution 4.0"),
    (
        "CC-BY-NC-4.0",
        "Creative Commons Attribution – Pas d'utilisation commerciale 4.0",
        "Creative Commons Attribution-NonCommercial 4.0",
    ),
    (
        "CC-BY-NC-ND-4.0",
        "Creative Commons Attribution – Pas d'utilisation commerciale – Pas de modification 4.0",
        "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0",
    ),
]


def generate(context):
    """Make sure each licence exists in both languages; put them in `context["licences"]`."""
    fr, en = context["locales"]
    licences = []
    for spdx_id, title_fr, title_en in LICENCES:
        source = Licence.objects.filter(locale=fr, spdx_id=spdx_id).first()
        if source is None:
            source = Licence.objects.create(locale=fr, spdx_id=spdx_id, title=title_fr)
        translation = source.get_translation_or_none(en)
        if translation is None:
            translation = source.copy_for_translation(en)
            translation.title = title_en
            translation.save()
        licences.append({fr.pk: source, en.pk: translation})
    context["licences"] = licences
