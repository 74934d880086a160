"""Every main page of the seeded demo carries a Content-Security-Policy and breaks none of it.

The browser reports each violation as a ``securitypolicyviolation`` event
(in report-only mode too); the test collects them on every page a demo user
of each role reaches from the navigation.
"""

import pytest
from django.core.management import call_command

from prm.tenancy.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("username", ["acme-admin", "acme-finance", "acme-partner"])
def test_no_main_page_violates_the_content_security_policy(demo, page, login, live_server, username):
    page.add_init_script(COLLECT)
    login(page, username, password=DEMO_PASSWORD)
    nav = page.locator("nav a[href^='/t/acme/']")
    pages = sorted({nav.nth(i).get_attribute("href") for i in range(nav.count())} | {"/t/acme/"})
    assert len(pages) >= 4, pages

    violations = {}
    for path in pages:
        response = page.goto(path)
        assert response.status < 500, path
        header = response.headers.get("content-security-policy") or response.headers.get(
            "content-security-policy-report-only"
        )
        assert header and "script-src 'self'" in header and "frame-ancestors 'none'" in header, path
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp")
        if found:
            violations[path] = found
    assert violations == {}
