"""Does each incentive pay off, in the browser: finance opens the report from the rules page, reads the
SPIF's return against its baseline and comparable partners, changes the baseline, and downloads the CSV."""

import pytest

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.incentives.test_effectiveness import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_reads_whether_the_spif_paid_off(page, login, tenant, member, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    member(tenant, Role.FINANCE, username="fiona")
    with tenant_context(tenant):
        spif, _mdf = world(tenant)

    login(page, "fiona")
    page.goto(f"/t/{tenant.slug}/incentives/rules/")
    page.get_by_role("link", name="Does it pay off?").click()

    card = page.locator(f"[data-testid=effect-{spif.pk}]")
    assert "1.20" in card.locator(f"[data-testid=return-{spif.pk}]").inner_text()
    assert "40.0%" in card.inner_text() and "10.0%" in card.inner_text()
    assert "comparable group" in page.locator("[data-testid=effectiveness-method]").inner_text()

    page.select_option("select[name=baseline]", "2")
    page.click("[data-testid=effectiveness-period] button[type=submit]")
    assert "2026-Q1" in page.locator("main").inner_text()

    with page.expect_download() as download:
        page.click("[data-testid=effectiveness-csv]")
    assert download.value.suggested_filename == f"effectiveness-{tenant.slug}-2026-Q3.csv"
