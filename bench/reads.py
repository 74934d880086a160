"""The bench's reading sections: list APIs against bare JSON views of the same rows, pages (time and
size), and one scorecard PDF against a minimal WeasyPrint page."""

from __future__ import annotations

import time

from .computations import Measure

#: A list API and its bare view are each timed this many times, alternately, for this many seconds.
LIST_ROUNDS, LIST_SECONDS = 3, 1.5


def requests_per_second(client, url: str, seconds: float = 3.0) -> tuple[float, int]:
    done, started, size = 0, time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        done += 1
    return done / (time.perf_counter() - started), size


def lists(tenant, client) -> list[dict]:
    """Each list API as a client calls it (``Authorization: Token``, as ``API.md`` says) against the
    bare view of the same rows (behind the portal's session and tenant check)."""
    from django.test import Client

    from prm.apitokens import services as api_tokens

    _token, secret = api_tokens.issue(user=client.session_user, name="bench", scope="read")
    api = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    base = f"/api/v1/tenants/{tenant.slug}"
    rows = []
    for name, url, bare in [
        ("GET partners/ (50)", f"{base}/partners/", f"/bench/bare/{tenant.slug}/partners/"),
        (
            "GET partners/?fields=id,name,tier",
            f"{base}/partners/?fields=id,name,tier",
            f"/bench/bare/{tenant.slug}/partners/",
        ),
        ("GET sales/ (50)", f"{base}/sales/", f"/bench/bare/{tenant.slug}/sales/"),
    ]:
        product = floor = 0.0
        for _round in range(LIST_ROUNDS):  # alternated; the best of each (the least disturbed)
            product = max(product, requests_per_second(api, url, LIST_SECONDS)[0])
            floor = max(floor, requests_per_second(client, bare, LIST_SECONDS)[0])
        rows.append(
            {
                "what": name,
                "product_rps": round(product, 1),
                "bare_rps": round(floor, 1),
                "share": round(product / floor, 2),
            }
        )
    return rows


def pages(tenant, client) -> list[dict]:
    from incentives.models import PayoutRun
    from partners.models import Partner
    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard

    with tenant_context(tenant):
        partner = Partner.objects.filter(stage="signed").order_by("pk").first()
        run = PayoutRun.objects.order_by("pk").first()
        card = Scorecard.objects.order_by("pk").first()
    slug = tenant.slug
    urls = [
        ("dashboard", f"/t/{slug}/"),
        ("partners", f"/t/{slug}/partners/"),
        ("pipeline board", f"/t/{slug}/pipeline/"),
        ("partner page", f"/t/{slug}/partners/{partner.pk}/"),
        ("deals", f"/t/{slug}/deals/"),
        ("scorecards", f"/t/{slug}/scorecards/"),
        ("one scorecard", f"/t/{slug}/scorecards/{card.pk}/"),
        ("payout runs", f"/t/{slug}/payouts/"),
        ("payout run", f"/t/{slug}/payouts/{run.pk}/"),
        ("sales", f"/t/{slug}/sales/"),
        ("sales, page 1,000", f"/t/{slug}/sales/?page=1000"),
        ("targets", f"/t/{slug}/targets/"),
        ("onboarding", f"/t/{slug}/onboarding/"),
        ("team activity", f"/t/{slug}/reports/activity/"),
        ("tiers", f"/t/{slug}/tiers/"),
        ("leads", f"/t/{slug}/leads/"),
    ]
    rows = []
    for name, url in urls:
        client.get(url)  # warm
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        rows.append(
            {
                "what": name,
                "url": url,
                "status": response.status_code,
                "ms": round(elapsed * 1000),
                "kib": round(len(response.content) / 1024),
            }
        )
    return rows


def pdfs(tenant) -> list[dict]:
    from weasyprint import HTML

    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard
    from scorecards.pdf import render_scorecard

    with tenant_context(tenant):
        card = Scorecard.objects.select_related("partner", "tenant").prefetch_related("lines").first()
        render_scorecard(card)  # warm
        product = Measure(5, memory=False)(lambda: len(render_scorecard(card)))
    minimal = Measure(5, memory=False)(lambda: len(HTML(string="<p>Scorecard</p>").write_pdf()))
    return [
        {
            "what": "one scorecard PDF (warm)",
            "product_s": product["seconds"],
            "floor_s": minimal["seconds"],
            "ratio": round(product["seconds"] / minimal["seconds"], 1),
        }
    ]
