"""Demo step: leave the three translation states visible in the status view.

Runs after wiki's, licensing's and repository's steps (cop_load_demo). In CoP A it changes
the French source of "Lectures préalables" after its English translation (out of date) and
adds a French page with no translation that is marked as needing one (not translated); the
other pages stay translated and up to date. Running it again leaves the same state.
"""

from wagtail.models import Page

from wiki.demo_utils import ensure_page, locales, publish
from wiki.models import WikiPage, WorkspacePage

from .models import TranslationRequest
from .status import base_content_type

WORKSPACE_SLUG = "cdp-a-parentalite-dependance"
OUTDATED_SLUG = "lectures-prealables"
ADDED_PARAGRAPH = (
    "<p>Nouvelle lecture ajoutée après la traduction anglaise : le guide de pratique sur "
    "l'accompagnement des familles (2026).</p>"
)


def load(context=None):
    fr, en = locales()
    context = context or {}
    admin = (context.get("users") or {}).get("admin") if isinstance(context, dict) else None
    workspace = WorkspacePage.objects.filter(locale=fr, slug=WORKSPACE_SLUG).first()
    if workspace is None:
        return
    _make_outdated(workspace, admin)
    _make_untranslated(workspace, admin, en)


def _make_outdated(workspace, admin):
    page = WikiPage.objects.child_of(workspace).filter(slug=OUTDATED_SLUG).first()
    if page is None or page.get_translation_or_none(locales()[1]) is None:
        return
    if any(block.block_type == "paragraph" and str(block.value) == ADDED_PARAGRAPH for block in page.body):
        return
    body = list(page.body.raw_data) + [{"type": "paragraph", "value": ADDED_PARAGRAPH}]
    page.body = body
    publish(page, admin)


def _make_untranslated(workspace, admin, en):
    page = ensure_page(
        workspace,
        WikiPage,
        "bilan-des-apprentissages",
        {
            "title": "Bilan des apprentissages",
            "body": [
                {
                    "type": "paragraph",
                    "value": "<p>Ce que la communauté a appris au cours de sa première année : "
                    "les pratiques qui ont fonctionné et celles à revoir.</p>",
                }
            ],
        },
        user=admin,
    )
    TranslationRequest.objects.get_or_create(
        content_type=base_content_type(Page.objects.get(pk=page.pk)),
        translation_key=page.translation_key,
        target_locale=en,
        resolved_at=None,
        defaults={"note": "Traduire avant la rencontre de décembre.", "requested_by": admin},
    )
