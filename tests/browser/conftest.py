"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and axe-core.

`playwright install` cannot download browsers here, so the tests drive the system Chromium.
They fail when it is missing, unless COP_SKIP_BROWSER=1 says to skip them on purpose.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("COP_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core impact levels that fail a test.
FAILING_IMPACTS = {"serious", "critical"}

# The live server listens on IPv4 loopback, the address Chromium is sent to.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


def _require_tools():
    if not CHROMIUM.exists():
        if os.environ.get("COP_SKIP_BROWSER") == "1":
            pytest.skip(f"{CHROMIUM} is absent and COP_SKIP_BROWSER=1")
        pytest.fail(
            f"{CHROMIUM} is absent: install Debian's chromium (./scripts/test does) "
            "or set COP_SKIP_BROWSER=1 to skip the browser tests"
        )
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is absent: run `npm ci` (./scripts/test does)")


def pytest_runtest_setup(item):
    # Before any fixture: a skip or a missing tool is told at once, not after the database setup.
    _require_tools()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse database access from the test itself (and from the flush after each test).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page, in French like most members.

    The site sends `Content-Security-Policy: script-src 'self'`; `bypass_csp` lets axe-core be
    injected as an inline script.
    """
    context = browser.new_context(locale="fr-CA", bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


def format_violations(url, violations):
    lines = [f"axe-core: {len(violations)} serious or critical violation(s) on {url}"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"      {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"      at {target}: {node['html'][:160]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      ... and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


class Axe:
    """`axe()` audits the current page with axe-core; `axe.assert_clean()` ends the test.

    Serious and critical violations are printed as they are found and reported together by
    `assert_clean()`, so one run shows the problems of every page visited.
    """

    def __init__(self, page):
        self.page = page
        self.reports = []
        self.pages_audited = 0

    def __call__(self):
        self.page.add_script_tag(path=str(AXE_JS))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        self.pages_audited += 1
        failing = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
        if failing:
            report = format_violations(self.page.url, failing)
            print(report)  # noqa: T201 -- shown by pytest when the test fails
            self.reports.append(report)
        return result["violations"]

    def assert_clean(self):
        reports, self.reports = self.reports, []
        if reports:
            pytest.fail("\n\n".join(reports), pytrace=False)


@pytest.fixture
def axe(page):
    """An `Axe` for the test's page. Unreported violations still fail the test at teardown."""
    auditor = Axe(page)
    yield auditor
    auditor.assert_clean()
