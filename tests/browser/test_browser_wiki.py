"""member-a writes a wiki page with a [[link]] in the admin and saves it; coordinator-a
publishes it (participants write, coordinators publish: see the permission matrix); member-a
then follows the link on the site, opens the History and reads the difference between two
revisions, in a real browser.

Wagtail autosaves a new page as soon as it is typed (the address becomes the editor's), so
each save waits for the form's own navigation, never for an address.
"""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale

from wiki.models import WikiPage, WorkspacePage

pytestmark = pytest.mark.browser

WORKSPACE_A_FR = "CdP A — Parentalité et dépendance"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def write_paragraph(page, text):
    page.locator("button[title='Insert a block'], button.c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile("Paragraph|Paragraphe")).first.click()
    editor = page.locator(
        "[data-contentpath='body'] .public-DraftEditor-content, .public-DraftEditor-content"
    ).last
    editor.wait_for(state="visible")
    page.wait_for_timeout(500)
    editor.click()
    editor.press_sequentially(text, delay=20)
    page.wait_for_function(
        "t => [...document.querySelectorAll('.public-DraftEditor-content')]"
        ".some(e => e.innerText.includes(t))",
        arg=text[:20],
    )
    # Draftail copies its content into the form's hidden input a moment after typing stops;
    # a save before that would send an empty paragraph.
    page.wait_for_function(
        "t => [...document.querySelectorAll('input[type=hidden]')].some(i => i.value.includes(t))",
        arg=text[:8],
    )


def submit_and_wait(page, button):
    """Click a button that submits the editor's form and wait for the page that answers.

    The database is not polled meanwhile: the live server and the test share one SQLite
    database, and reading it while the server writes locks the server out.
    """
    with page.expect_navigation(wait_until="load", timeout=30_000):
        button.click()


def save_draft(page):
    submit_and_wait(page, page.locator("footer button.action-save, footer button[name='action-save']").first)


def publish(page):
    page.locator(
        "footer [data-w-dropdown-target='toggle'], .footer__container [aria-label*='More']"
    ).first.click()
    submit_and_wait(page, page.locator("button[name='action-publish']"))


def test_member_writes_a_linked_page_a_coordinator_publishes_it_member_reads_its_history(
    demo, live_server, browser, page, axe
):
    fr = Locale.objects.get(language_code="fr")
    workspace = WorkspacePage.objects.get(locale=fr, title=WORKSPACE_A_FR)
    target = WikiPage.objects.child_of(workspace).get(title="Lectures préalables")
    base = live_server.url

    # member-a writes a new wiki page under workspace A, with a [[link]] to an existing page,
    # and saves it: a participant cannot publish.
    log_in(page, base, "member-a")
    page.goto(f"{base}/admin/pages/add/wiki/wikipage/{workspace.pk}/")
    page.locator("#id_title").fill("Synthèse des lectures")
    write_paragraph(page, "Voir les [[Lectures préalables]] avant la rencontre.")
    assert page.locator("button[name='action-publish']").count() == 0
    save_draft(page)
    created = WikiPage.objects.get(title="Synthèse des lectures")
    assert not created.live
    assert "[[Lectures préalables]]" in str(created.get_latest_revision_as_object().body), (
        page.url,
        page.locator(".messages").all_inner_texts(),
        [str(r.content.get("body"))[:200] for r in created.revisions.order_by("pk")],
    )

    # coordinator-a, in a browser of their own, publishes it.
    coordinator_context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
    coordinator_context.set_default_timeout(20_000)
    try:
        coordinator = coordinator_context.new_page()
        log_in(coordinator, base, "coordinator-a")
        coordinator.goto(f"{base}/admin/pages/{created.pk}/edit/")
        publish(coordinator)
    finally:
        coordinator_context.close()
    created.refresh_from_db()
    assert created.live

    # On the site, the link leads to the linked page.
    page.goto(f"{base}{created.url}")
    link = page.locator("main a.wikilink", has_text="Lectures préalables")
    assert link.count() == 1, (list(created.body.raw_data), page.locator("main").inner_text())
    assert link.get_attribute("href") == target.url
    axe()
    link.click()
    page.wait_for_url(re.compile(re.escape(target.url) + "$"))
    # ... which now lists the new page among the pages that link to it.
    assert page.locator(".backlinks a", has_text="Synthèse des lectures").count() == 1

    # A second revision by another member (written here, not in the browser: the editor's
    # second save is covered by the concurrent-editing tests), then history and difference.
    from django.contrib.auth import get_user_model

    created.body = [
        ("paragraph", "<p>Voir les [[Lectures préalables]] avant la rencontre. Apportez vos questions.</p>")
    ]
    created.save_revision(
        user=get_user_model().objects.get(username="coordinator-a"), log_action=True
    ).publish()

    page.goto(f"{base}{created.url}")
    page.locator("main .page-actions a", has_text="Historique").click()
    assert page.locator("table.history tbody tr").count() >= 2
    axe()
    page.locator("#compare-button").click()
    page.wait_for_url(re.compile(r"/compar(e|er)/\d+/\d+/$"))
    assert "Apportez vos questions." in page.locator(".diff ins").first.inner_text()
    assert page.locator(".diff del").count() == 1
    axe()
