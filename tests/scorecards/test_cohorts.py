"""A scorecard's cohort compares it with enough others: its tier and region, else (fewer than the
programme's ``min_cohort_size``, 3 by default) its tier in every region, else the whole channel. The
card keeps which, and the page, the PDF, the list and the API say it in words; a compute in one
process and one joined from ranges of partners rank alike."""

import subprocess
from decimal import Decimal as D

import pytest
from django.utils import translation

from prm.jobs.computations import in_ranges
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.cohorts import cohort_words
from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, Scorecard
from scorecards.services.compute import SCORECARDS, scorecards_compute
from tests.factories import KpiFactory, ManualValueFactory, PartnerFactory, ScorecardFactory
from tests.scorecards.test_compute import PERIOD, card

pytestmark = pytest.mark.django_db


@pytest.fixture
def single_kpi(tenant):
    """Only one KPI counts, entered by hand against a target of 100: the score is the value entered."""
    ensure_default_kpis(tenant)
    Kpi.objects.for_tenant(tenant).update(active=False)
    return KpiFactory(tenant=tenant, code="score", source="manual", weight=D("1"), default_target=D("100"))


def scoring(tenant, kpi, value, *, tier="A", region="EMEA", name=None):
    partner = PartnerFactory(
        tenant=tenant, stage="signed", computed_tier=tier, region=region, **({"name": name} if name else {})
    )
    ManualValueFactory(tenant=tenant, partner=partner, kpi=kpi, period=PERIOD, value=D(value))
    return partner


def compute(tenant, **kwargs):
    with tenant_context(tenant):
        return scorecards_compute(tenant=tenant, period=PERIOD, **kwargs)


def ranked(partner) -> tuple:
    stored = card(partner)
    return stored.rank, stored.cohort_size, stored.cohort


@pytest.fixture
def channel(tenant, single_kpi):
    """Tier A: three in EMEA, two in APAC; tier B: one in EMEA, one in APAC (seven in the channel)."""
    return {
        "a_emea": [scoring(tenant, single_kpi, v, name=f"Emea {v}") for v in ("90", "60", "30")],
        "a_apac": [scoring(tenant, single_kpi, v, region="APAC", name=f"Apac {v}") for v in ("70", "20")],
        "b_emea": scoring(tenant, single_kpi, "80", tier="B", name="Bee Emea"),
        "b_apac": scoring(tenant, single_kpi, "10", tier="B", region="APAC", name="Bee Apac"),
    }


def test_a_cohort_widens_from_tier_and_region_to_the_tier_to_the_channel(tenant, channel):
    compute(tenant)

    # three of tier A in EMEA: ranked among themselves
    assert [ranked(p) for p in channel["a_emea"]] == [
        (1, 3, "tier_region"),
        (2, 3, "tier_region"),
        (3, 3, "tier_region"),
    ]
    # two of tier A in APAC: among the five of tier A (90, 70, 60, 30, 20)
    assert [ranked(p) for p in channel["a_apac"]] == [(2, 5, "tier"), (5, 5, "tier")]
    # one of tier B in each region, two in the tier: among the whole channel of seven
    assert ranked(channel["b_emea"]) == (2, 7, "channel")
    assert ranked(channel["b_apac"]) == (7, 7, "channel")


def test_the_programme_sets_how_many_make_a_cohort(tenant, channel):
    tenant.programme_settings = {"scorecards": {"min_cohort_size": 2}}
    tenant.save(update_fields=["programme_settings"])

    compute(tenant)

    assert [ranked(p) for p in channel["a_apac"]] == [(1, 2, "tier_region"), (2, 2, "tier_region")]
    assert ranked(channel["b_emea"]) == (1, 2, "tier")
    assert ranked(channel["a_emea"][0]) == (1, 3, "tier_region")


def test_ties_share_a_rank_in_a_widened_cohort(tenant, single_kpi):
    partners = [
        scoring(tenant, single_kpi, v, region=r) for v, r in (("50", "EMEA"), ("50", "APAC"), ("40", "LATAM"))
    ]

    compute(tenant)

    assert [ranked(p) for p in partners] == [(1, 3, "tier"), (1, 3, "tier"), (3, 3, "tier")]


def test_a_recompute_narrows_the_cohort_again_when_the_region_fills_up(tenant, single_kpi):
    first = [scoring(tenant, single_kpi, v, region="APAC") for v in ("70", "20")]
    scoring(tenant, single_kpi, "50")
    compute(tenant)
    assert ranked(first[0]) == (1, 3, "tier")

    scoring(tenant, single_kpi, "40", region="APAC")
    compute(tenant)

    assert ranked(first[0]) == (1, 3, "tier_region")
    assert ranked(first[1]) == (3, 3, "tier_region")


def test_one_process_and_ranges_joined_rank_widened_cohorts_alike(tenant, channel):
    def snapshot():
        with tenant_context(tenant):
            return sorted(
                Scorecard.objects.filter(period=PERIOD).values_list(
                    "partner_id", "rank", "cohort_size", "cohort", "score"
                )
            )

    compute(tenant)
    whole = snapshot()
    Scorecard.objects.for_tenant(tenant).update(rank=0, cohort_size=0, cohort="tier_region")

    compute(tenant, chunk=2)  # four ranges in this process
    assert snapshot() == whole

    Scorecard.objects.for_tenant(tenant).update(rank=0, cohort_size=0, cohort="tier_region")
    with tenant_context(tenant):  # ranges measured apart and joined, as workers do
        in_ranges(SCORECARDS, tenant, SCORECARDS.plan(tenant, period=PERIOD, chunk=2))
    assert snapshot() == whole
    assert {row[3] for row in whole} == {"tier_region", "tier", "channel"}


# --- in words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cohort", "words"),
    [
        ("tier_region", "rank 2 of 7 among tier B partners in EMEA"),
        ("tier", "rank 2 of 7 among tier B partners in every region: fewer than 3 in EMEA"),
        ("channel", "rank 2 of 7 among all the channel's partners: fewer than 3 tier B partners"),
    ],
)
def test_each_cohort_says_whom_the_rank_is_among(tenant, cohort, words):
    stored = ScorecardFactory(tenant=tenant, tier="B", region="EMEA", rank=2, cohort_size=7, cohort=cohort)

    with translation.override("en"):
        assert cohort_words(stored) == words


def test_a_partner_without_a_tier_or_region_is_said_so(tenant):
    stored = ScorecardFactory(tenant=tenant, tier="", region="", rank=1, cohort_size=4, cohort="tier")

    with translation.override("en"):
        assert cohort_words(stored, 3) == (
            "rank 1 of 4 among partners without a tier in every region: fewer than 3 without a region"
        )


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_page_the_pdf_the_list_and_the_api_say_the_widened_cohort(tenant, channel, web, api, member):
    compute(tenant)
    apac = card(channel["a_apac"][0])
    manager = member(tenant, Role.CHANNEL_MANAGER)
    words = "among tier A partners in every region: fewer than 3 in APAC"

    page = web(manager).get(f"/t/alpha/scorecards/{apac.pk}/").content.decode()
    pdf = web(manager).get(f"/t/alpha/scorecards/{apac.pk}/pdf/")
    listing = web(manager).get(f"/t/alpha/scorecards/?period={PERIOD}").content.decode()
    body = api(manager).get(f"/api/v1/tenants/alpha/scorecards/{apac.pk}/").json()

    assert f"Rank 2 of 5 {words}" in page
    assert "Cohort: tier A partners in every region" in page  # the chart's title
    assert "where they are fewer than 3, among its tier in every region" in page  # the rule explained
    assert words in " ".join(pdf_text(pdf.content).split())
    assert "Same tier, every region" in listing and "The whole channel" in listing
    assert (body["rank"], body["cohort_size"], body["cohort"]) == (2, 5, "tier")
    assert body["cohort_description"] == f"rank 2 of 5 {words}"


def test_the_cohort_ranking_on_the_page_ranks_the_widened_cohort(tenant, channel, web, member):
    # the tier's EMEA cards keep their ranks within EMEA: the APAC card's cohort is ranked anew
    compute(tenant)
    apac = card(channel["a_apac"][0])

    html = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/scorecards/{apac.pk}/").content.decode()

    ranking = html[html.index("Cohort ranking") :]
    names = [p.name for p in (*channel["a_emea"], *channel["a_apac"])]
    order = sorted(names, key=ranking.index)
    assert order == [names[0], names[3], names[1], names[2], names[4]]  # 90, 70, 60, 30, 20
    assert channel["b_emea"].name not in ranking  # another tier: not in this cohort
