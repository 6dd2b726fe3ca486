"""Ship the memorandum licence, CC BY 4.0, CC BY-NC 4.0, CC BY-NC-ND 4.0 and all rights reserved."""

import uuid

from django.db import migrations

from licensing.standard import STANDARD_LICENCES


def create_licences(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Licence = apps.get_model("licensing", "Licence")
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    for spec in STANDARD_LICENCES:
        if Licence.objects.filter(spdx_id=spec["spdx_id"]).exists():
            continue
        key = uuid.uuid4()
        for locale, title in ((fr, spec["title_fr"]), (en, spec["title_en"])):
            # Summaries and the version snapshot are made after migrating (standard.complete_licences).
            Licence.objects.create(
                translation_key=key, locale=locale, title=title, spdx_id=spec["spdx_id"], url=spec["url"], **spec["terms"]
            )


def remove_licences(apps, schema_editor):
    Licence = apps.get_model("licensing", "Licence")
    Licence.objects.filter(spdx_id__in=[spec["spdx_id"] for spec in STANDARD_LICENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0003_amendments_versions_acceptances_committee_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_licences, remove_licences)]
