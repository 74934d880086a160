"""Load a bench tenant in seconds: set-based SQL (INSERT … SELECT generate_series), not the ORM.

N partners in every stage, with owners, regions, contacts, visits, tier
assessments, deal registrations in every status, S sales over the four
quarters of the bench year (a few customers repeated across partners, for
the duplicate-sale audit), a target per partner and KPI for the scored
quarter, and incentive rules of every kind. Everything is written inside the
bench tenant's scope, as the web role: row-level security admits it.

``generate_shared`` loads a second tenant of the shape that makes a payout run
warn the most: customers shared across partners (one for every two partners,
each buying from many at list prices) and two commissions and a SPIF paying
the same sales.
"""

from __future__ import annotations

from django.db import connection

from incentives.services.rules import rule_create
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership, Tenant
from prm.tenancy.services import tenant_create
from scorecards.defaults import ensure_default_kpis

YEAR = 2026
QUARTER = f"{YEAR}-Q3"
STAGES = ["prospecting", "first_talks", "selection", "strategic", "signed", "certified", "lost"]
#: Most partners of a mature programme sell: weights of the stages above.
STAGE_WEIGHTS = [1, 1, 1, 2, 6, 4, 1]
REGIONS = ["North", "South", "East", "West", "Central"]

RULES = [
    (
        "Volume commission",
        "commission",
        {
            "brackets": [
                {"from": "0", "to": "20000", "rate": "2"},
                {"from": "20000", "to": "100000", "rate": "4"},
                {"from": "100000", "to": None, "rate": "6"},
            ],
            "mode": "marginal",
            "tier_multipliers": {"A": "1.2", "B": "1.1"},
            "cap": "15000",
        },
        {"stages": ["signed", "certified"]},
    ),
    (
        "Quarterly rebate",
        "rebate",
        {"threshold": "60000", "rate": "1.5"},
        {"stages": ["signed", "certified"]},
    ),
    ("Flagship SPIF", "spif", {"product": "Flagship", "amount_per_unit": "120"}, {}),
    ("Partner club points", "points", {"per_amount": "10000", "points": "5"}, {}),
]


def _stage_sql() -> str:
    """A CASE picking a stage for partner number g by the weights above."""
    total, bounds, cases = sum(STAGE_WEIGHTS), 0, []
    for stage, weight in zip(STAGES, STAGE_WEIGHTS, strict=True):
        bounds += weight
        cases.append(f"WHEN g %% {total} < {bounds} THEN '{stage}'")
    return "CASE " + " ".join(cases) + " END"


def bench_tenant(slug: str = "bench") -> Tenant:
    """The tenant an earlier ``generate`` left in the bench database (``make bench`` with ``--reuse``)."""
    return Tenant.objects.get(slug=slug)


def generate(*, partners: int, sales: int, slug: str = "bench") -> Tenant:
    """A fresh tenant ``slug`` with the data described above; returns it."""
    tenant = tenant_create(
        slug=slug,
        name="Bench Robotics",
        currency="EUR",
        admin_username=f"{slug}-admin",
        admin_email=f"{slug}-admin@example.com",
        admin_password="bench-pass-2026!",
    )
    admin = Membership.objects.for_tenant(tenant).get().user
    with tenant_context(tenant), connection.cursor() as cursor:
        ensure_default_kpis(tenant)
        params = {"t": tenant.pk, "n": partners, "s": sales, "owner": admin.pk, "year": YEAR}
        params |= _partners(cursor, params)
        cursor.execute(
            """
            INSERT INTO partners_contact (tenant_id, partner_id, name, role, email, phone, is_primary)
            SELECT %(t)s, id, 'Contact of ' || name, 'Sales lead', 'lead' || id || '@example.com', '', true
            FROM partners_partner WHERE tenant_id = %(t)s;
            INSERT INTO partners_visit (tenant_id, partner_id, date, kind, summary, goal_met, next_step,
              make_target, created_at, logged_by_id)
            SELECT %(t)s, %(first)s + g %% %(count)s, make_date(%(year)s, 1 + g %% 12, 1 + g %% 28), 'visit',
              'Quarterly review', g %% 3 <> 0, '', false, now(), %(owner)s
            FROM generate_series(1, %(n)s * 2) AS g;
            INSERT INTO partners_assessment (tenant_id, partner_id, kind, date, ratings, needs, note, created_at,
              assessed_by_id)
            SELECT %(t)s, %(first)s + g, 'tier', make_date(%(year)s, 1 + g %% 9, 1 + g %% 28),
              jsonb_build_object('autonomy', jsonb_build_object('score', g %% 5 + 1)), '[]'::jsonb, '', now(),
              %(owner)s
            FROM generate_series(0, %(count)s - 1, 2) AS g;
            INSERT INTO partners_dealregistration (tenant_id, partner_id, customer, customer_key, customer_domain,
              product, expected_amount, currency, status, self_sourced, registered_at, expires_at, decision_reason,
              closed_note, registered_by_id)
            SELECT %(t)s, %(first)s + g %% %(count)s, 'Customer ' || g, 'customer ' || g, '', 'Flagship',
              10000 + g %% 90000, 'EUR', (ARRAY['pending','approved','won','lost','rejected','expired'])[1 + g %% 6],
              g %% 4 = 0, make_timestamptz(%(year)s, 1 + g %% 12, 1 + g %% 28, 12, 0, 0),
              make_timestamptz(%(year)s + 1, 1 + g %% 12, 1 + g %% 28, 12, 0, 0), '', '', %(owner)s
            FROM generate_series(1, %(n)s * 2) AS g;
            INSERT INTO partners_sale (tenant_id, partner_id, external_id, date, product, quantity, amount,
              currency, customer, customer_key, self_sourced, created_at)
            SELECT %(t)s, %(first)s + (g::bigint * 7919) %% %(count)s, 'S' || g, make_date(%(year)s, 1 + g %% 12, 1 + g %% 28),
              CASE WHEN g %% 10 = 0 THEN 'Flagship' ELSE 'Module ' || g %% 20 END, 1 + g %% 3,
              100 + (g::bigint * 37) %% 9900, 'EUR', 'Customer ' || g %% (%(s)s / 3 + 1),
              'customer ' || g %% (%(s)s / 3 + 1), g %% 5 = 0, now()
            FROM generate_series(1, %(s)s) AS g;
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO scorecards_target (tenant_id, partner_id, kpi_id, period, value, created_at)
            SELECT %(t)s, p.id, k.id, %(quarter)s, COALESCE(k.default_target, 10) * (1 + p.id %% 3), now()
            FROM partners_partner p CROSS JOIN scorecards_kpi k
            WHERE p.tenant_id = %(t)s AND k.tenant_id = %(t)s AND k.active
            """,
            params | {"quarter": QUARTER},
        )
        for name, kind, rule_params, eligibility in RULES:
            rule_create(tenant=tenant, actor=admin, name=name, kind=kind, params=rule_params, **eligibility)
        cursor.execute("ANALYZE")
    return tenant


def _partners(cursor, params: dict) -> dict:
    """``params["n"]`` partners of tenant ``params["t"]`` in every stage; returns the first id and
    how many ids they span (``first``, ``count``)."""
    cursor.execute(
        f"""
        INSERT INTO partners_partner (tenant_id, name, region, country, industry, website, lines_carried,
          source, referrer, referral_level, stage, stage_entered_at, inactive_reason, computed_tier,
          tier_axes, tier_override, tier_override_reason, created_at, owner_id, payee_reference, operating_model)
        SELECT %(t)s, 'Partner ' || lpad(g::text, 6, '0'),
          (ARRAY{REGIONS!r})[1 + g %% {len(REGIONS)}], 'DE', 'Automation', '', '', 'outbound', '', '',
          {_stage_sql()}, now() - (g %% 200) * interval '1 day', '', (ARRAY['A','B','C','D'])[1 + g %% 4],
          '{{}}'::jsonb, '', '', now(), %(owner)s, 'IBAN-' || g,
          (ARRAY['project', 'product', ''])[1 + g %% 3]
        FROM generate_series(1, %(n)s) AS g
        """,
        params,
    )
    cursor.execute("SELECT min(id), max(id) FROM partners_partner WHERE tenant_id = %s", [params["t"]])
    first, last = cursor.fetchone()
    return {"first": first, "count": last - first + 1}


#: The shared-customer shape: three current rules paying the same sales, two of them commissions (an
#: overlap for every partner that sells), the third a SPIF on one of the products.
SHARED_RULES = [
    ("Flat commission", "commission", {"rate": "5"}),
    (
        "Bracketed commission",
        "commission",
        {
            "brackets": [
                {"from": "0", "to": "20000", "rate": "2"},
                {"from": "20000", "to": "100000", "rate": "4"},
                {"from": "100000", "to": None, "rate": "6"},
            ],
            "mode": "marginal",
        },
    ),
    ("Flagship SPIF", "spif", {"product": "Flagship", "amount_per_unit": "120"}),
]
#: What the shared-customer shape's customers buy, and at which list prices (per unit).
SHARED_PRODUCTS = ["Flagship", "Module A", "Module B", "Controller", "Service plan"]
SHARED_PRICES = [500, 1000, 2500, 5000]


def generate_shared(*, partners: int, sales: int, slug: str = "bench-shared") -> Tenant:
    """A fresh tenant ``slug`` of the shape that makes a payout run warn the most: ``partners``
    partners in every stage (unsigned ones are paid, with a warning), one customer for every two
    partners, each buying from many of them (``sales`` sales over the bench year, at random, by a
    seeded generator) at list prices, so that the same sale booked by two partners is common, and
    the ``SHARED_RULES``: two commissions and a SPIF over the same sales. Returns it."""
    tenant = tenant_create(
        slug=slug,
        name="Shared Customers Robotics",
        currency="EUR",
        admin_username=f"{slug}-admin",
        admin_email=f"{slug}-admin@example.com",
        admin_password="bench-pass-2026!",
    )
    admin = Membership.objects.for_tenant(tenant).get().user
    with tenant_context(tenant), connection.cursor() as cursor:
        params = {"t": tenant.pk, "n": partners, "s": sales, "owner": admin.pk, "year": YEAR}
        params |= {"customers": max(partners // 2, 1), "products": SHARED_PRODUCTS, "prices": SHARED_PRICES}
        params |= _partners(cursor, params)
        cursor.execute("SELECT setseed(0.2026)")  # the same channel every time (the INSERT runs serially)
        cursor.execute(
            """
            INSERT INTO partners_sale (tenant_id, partner_id, external_id, date, product, quantity, amount,
              currency, customer, customer_key, self_sourced, created_at)
            SELECT %(t)s, %(first)s + partner, 'S' || g, make_date(%(year)s, 1, 1) + day,
              (%(products)s::text[])[1 + product], quantity, (%(prices)s::int[])[1 + price] * quantity, 'EUR',
              'Customer ' || customer, 'customer ' || customer, g %% 5 = 0, now()
            FROM (SELECT g, floor(random() * %(count)s)::int AS partner, floor(random() * 365)::int AS day,
                         floor(random() * 5)::int AS product, 1 + floor(random() * 3)::int AS quantity,
                         floor(random() * 4)::int AS price, floor(random() * %(customers)s)::int AS customer
                  FROM generate_series(1, %(s)s) AS g) AS r
            """,
            params,
        )
        for name, kind, rule_params in SHARED_RULES:
            rule_create(tenant=tenant, actor=admin, name=name, kind=kind, params=rule_params)
        cursor.execute("ANALYZE partners_partner")
        cursor.execute("ANALYZE partners_sale")
    return tenant
