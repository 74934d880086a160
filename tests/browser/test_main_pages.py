"""Every main page of the seeded demo, in Chromium: no CSP violation, no serious accessibility problem.

For a demo user of each role, every page its navigation links to is loaded;
the browser reports Content-Security-Policy violations as
``securitypolicyviolation`` events (in report-only mode too), and axe-core
(the npm package, evaluated in the page) checks accessibility: no critical
or serious violation is allowed.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from incentives.models import PayoutRun
from partners.models import Partner
from prm.tenancy.context import tenant_context
from prm.tenancy.demo import DEMO_PASSWORD
from prm.tenancy.models import Tenant
from scorecards.models import Scorecard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

AXE_RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}
"""


def detail_pages(username: str) -> list[str]:
    """One page of each kind of object the role opens from the lists (a partner, a run, a scorecard)."""

    tenant = Tenant.objects.get(slug="acme")
    with tenant_context(tenant):
        if username == "acme-partner":
            return [
                f"/t/acme/scorecards/{Scorecard.objects.filter(partner__name='Nordwind Systems').first().pk}/"
            ]
        pages = [f"/t/acme/scorecards/{Scorecard.objects.first().pk}/"]
        if username != "acme-finance":
            pages.append(f"/t/acme/partners/{Partner.objects.order_by('pk').first().pk}/")
        if username in ("acme-admin", "acme-finance", "acme-manager"):
            pages.append(f"/t/acme/payouts/{PayoutRun.objects.order_by('pk').first().pk}/")
        return pages


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (bash .ci/run does)", pytrace=False)
    return AXE.read_text()


@pytest.mark.parametrize("username", ["acme-admin", "acme-manager", "acme-finance", "acme-partner"])
def test_main_pages_keep_the_csp_and_have_no_serious_accessibility_problem(
    demo, page, login, live_server, axe_source, username
):
    page.add_init_script(COLLECT)
    login(page, username, password=DEMO_PASSWORD)
    nav = page.locator("nav a[href^='/t/acme/']")
    pages = sorted({nav.nth(i).get_attribute("href") for i in range(nav.count())} | {"/t/acme/"})
    assert len(pages) >= 4, pages
    pages += detail_pages(username)

    csp, axe = {}, {}
    for path in pages:
        response = page.goto(path)
        assert response.status < 500, path
        header = response.headers.get("content-security-policy") or response.headers.get(
            "content-security-policy-report-only"
        )
        assert header and "script-src 'self'" in header and "frame-ancestors 'none'" in header, path
        page.wait_for_load_state("networkidle")
        if found := page.evaluate("window.__csp"):
            csp[path] = found
        page.evaluate(axe_source)  # through the DevTools protocol: not an inline script of the page
        if found := page.evaluate(AXE_RUN):
            axe[path] = found
    assert csp == {}, "Content-Security-Policy violations"
    assert axe == {}, "critical or serious accessibility violations"
