"""The seeded demo as its users meet it: every demo login follows every link it can reach.

Seeds the demo once (as ``make demo`` does), then for each demo user walks
the portal from the tenant's dashboard: every same-tenant link of every page
reached, a few instances of each URL shape (``/partners/<id>/``), and fails
on any server error. Pages nobody thought to test are covered here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from incentives.models import Payment, PayoutRun, PointsEntry
from incentives.selectors import amounts_owed
from partners.models import RelationshipChange
from prm.tenancy.context import tenant_context
from prm.tenancy.demo import TENANTS
from prm.tenancy.models import Tenant

#: Instances of one URL shape to visit (``/t/acme/partners/<n>/`` counts as one shape).
PER_SHAPE = 2
#: A hard stop so a link explosion fails loudly instead of running for ever.
MAX_PAGES = 600
#: Links that change state on GET or end the session are not followed.
SKIP = re.compile(r"/logout/|/i18n/|\?format=|/export|\.pdf$|/pdf/|/download")

DEMO_ROLES = ["admin", "manager", "lead", "finance", "partner"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<n>", path)


def crawl(client, start: str, on_page=None) -> dict[str, int]:
    """Every page reachable from ``start`` within its tenant: path -> status.

    ``on_page(path, html)`` is called with every HTML page that answered 200.
    """
    prefix = "/".join(start.split("/")[:3]) + "/"  # /t/<slug>/
    seen: dict[str, int] = {}
    per_shape: dict[str, int] = defaultdict(int)
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or "text/html" not in content_type:
            continue
        html = response.content.decode()
        if on_page is not None:
            on_page(url, html)
        parser = _Links()
        parser.feed(html)
        for href in parser.links:
            parts = urlsplit(urljoin(url, href))
            if parts.netloc and parts.netloc != "testserver":
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith(prefix) or SKIP.search(target) or target in seen:
                continue
            shape = _shape(parts.path)
            if per_shape[shape] >= PER_SHAPE:
                continue
            per_shape[shape] += 1
            queue.append(target)
    return seen


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("role", DEMO_ROLES)
@pytest.mark.parametrize("slug", [spec.slug for spec in TENANTS])
def test_every_page_a_demo_user_reaches_answers_without_error(demo, client, slug, role):

    user = get_user_model().objects.get(username=f"{slug}-{role}")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    pages = crawl(client, f"/t/{slug}/")
    errors = {path: status for path, status in pages.items() if status >= 500}
    assert not errors, f"{slug}-{role} hit server errors: {errors}"
    assert len(pages) > 5, f"{slug}-{role} reached only {sorted(pages)}"


def test_finance_opens_every_demo_payout_run(demo, client):

    for spec in TENANTS:
        user = get_user_model().objects.get(username=f"{spec.slug}-finance")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        tenant = Tenant.objects.get(slug=spec.slug)
        with tenant_context(tenant):
            runs = list(PayoutRun.objects.values_list("pk", flat=True))
        assert runs, f"the {spec.slug} demo has no payout runs"
        for pk in runs:
            response = client.get(f"/t/{spec.slug}/payouts/{pk}/")
            assert response.status_code == 200, (spec.slug, pk, response.status_code)


def _login(client, username):

    client.force_login(
        get_user_model().objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )


def test_the_onboarding_page_gives_the_public_apply_link(demo, client):
    _login(client, "acme-manager")
    html = client.get("/t/acme/onboarding/").content.decode()
    assert 'href="http://testserver/apply/acme/"' in html
    assert client.get("/apply/acme/").status_code == 200


def test_finance_sees_no_sales_side_menus(demo, client):
    _login(client, "acme-finance")
    html = client.get("/t/acme/").content.decode()
    nav = html[html.index('id="sidenav"') : html.index("</nav>")]
    assert "/t/acme/pipeline/" not in nav and "/t/acme/objections/" not in nav
    assert "/t/acme/payouts/" in nav


def test_staff_see_a_paid_partners_payouts_without_choosing_first(demo, client):
    _login(client, "acme-finance")
    html = client.get("/t/acme/my-payouts/").content.decode()
    assert " selected>" in html  # a partner is chosen
    assert "/statement/" in html  # and its statements are listed


def test_the_audit_trail_and_activity_speak_words_not_codes(demo, client):
    _login(client, "acme-admin")
    trail = client.get("/t/acme/audit/").content.decode()
    members = client.get("/t/acme/audit/", {"action": "membership.added"}).content.decode()
    dashboard = client.get("/t/acme/").content.decode()
    table = members.split('data-testid="audit"', 1)[1]
    assert "Member added" in table and "membership.added" not in table
    assert not re.search(r"<td[^>]*>\s*[a-z_]+\.[a-z_]+\s*</td>", trail), "an action shown by its code"
    assert "partner.stage_moved" not in dashboard and "rule.created" not in dashboard


def test_finance_exports_a_demo_run_with_payee_references_and_points_apart(demo, client):

    _login(client, "acme-finance")
    with tenant_context(Tenant.objects.get(slug="acme")):
        run = PayoutRun.objects.exclude(status="draft").order_by("pk").first()
        has_points = PointsEntry.objects.filter(run=run).exists()

    table = list(
        csv.reader(io.StringIO(client.get(f"/t/acme/payouts/{run.pk}/export/?format=csv").content.decode()))
    )
    body = [row for row in table[1:] if row[8] != "total"]  # partner rows: lines and subtotals
    assert body and all(row[2] for row in body), "every paid partner has a payee reference"
    assert all(row[4] != "points" for row in body), "points are not money"

    book = load_workbook(io.BytesIO(client.get(f"/t/acme/payouts/{run.pk}/export/?format=xlsx").content))
    assert ("Points" in book.sheetnames) == has_points
    if has_points:
        assert all(isinstance(row[3], int) for row in book["Points"].iter_rows(min_row=2, values_only=True))


def test_the_demo_shows_a_run_paid_to_all_partners_but_one(demo, client):

    _login(client, "acme-finance")
    with tenant_context(Tenant.objects.get(slug="acme")):
        run = PayoutRun.objects.exclude(status="draft").order_by("pk").first()
        owed, paid = len(amounts_owed(tenant=run.tenant_id, run=run)), Payment.objects.filter(run=run).count()

    page = client.get(f"/t/acme/payouts/{run.pk}/").content.decode()

    assert run.status == "exported" and paid == owed - 1 > 0
    assert f"{paid} of {owed} partners paid." in page


def test_a_referred_demo_partner_shows_how_the_relationship_deepened(demo, client):

    _login(client, "acme-manager")
    with tenant_context(Tenant.objects.get(slug="acme")):
        change = RelationshipChange.objects.filter(to_level="friendship").select_related("partner").first()

    page = client.get(f"/t/acme/partners/{change.partner_id}/").content.decode()

    assert "Relationship: Friendship" in page and "dinner together after the trade fair" in page


def test_the_demo_flags_partners_that_need_attention_and_offers_the_partner_a_lead(demo, client):

    users = get_user_model().objects
    client.force_login(users.get(username="acme-admin"), backend="django.contrib.auth.backends.ModelBackend")
    dashboard = client.get("/t/acme/").content.decode()
    client.force_login(
        users.get(username="acme-partner"), backend="django.contrib.auth.backends.ModelBackend"
    )
    leads = client.get("/t/acme/leads/").content.decode()

    assert 'data-testid="needs-attention"' in dashboard
    assert "Northwind Traders" in leads and "/accept/" in leads


def test_the_demo_regional_lead_finds_requests_waiting_in_its_queue(demo, client):

    _login(client, "acme-lead")
    dashboard = client.get("/t/acme/").content.decode()
    card = dashboard.split('data-testid="approvals-panel"')[1].split("</ul>")[0]
    assert re.search(r'data-queue="signing">.*?<span class="badge badge-warn">2</span>', card, re.S)

    queue = client.get("/t/acme/approvals/").content.decode()
    signing = queue.split('data-testid="queue-signing"')[1].split("</section>")[0]
    asked = re.findall(r'<td class="name"><a href="/t/acme/partners/\d+/">([^<]+)</a>', signing)
    assert sorted(asked) == ["Baltic Motion", "Danube Drives"]
    assert "Approve for signing" in signing
