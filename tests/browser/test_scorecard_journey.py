"""Journey: a partner signs in, opens its scorecard and downloads the PDF."""

from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.factories import PartnerFactory, ScorecardFactory, ScorecardLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_downloads_its_scorecard_pdf(page, login, tenant, partner_user, tmp_path):
    # given
    mine = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    other = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed")
    card = ScorecardFactory(tenant=tenant, partner=mine, score=Decimal("77.50"))
    ScorecardLineFactory(tenant=tenant, scorecard=card, name="Revenue against target", target=100, actual=90,
                         attainment=Decimal("0.9"), points=Decimal("0.9"))  # fmt: skip
    ScorecardFactory(tenant=tenant, partner=other, score=Decimal("99.00"))
    user = partner_user(tenant, partner=mine)
    user.username = "nordwind"
    user.save()

    # when
    login(page, "nordwind")
    page.click("[data-testid=own-scorecard] >> text=Open it")

    # then
    assert "Nordwind Systems" in page.locator("h1").inner_text()
    assert "Revenue against target" in page.locator("[data-testid=kpi-table]").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=pdf-link]")
    path = tmp_path / "scorecard.pdf"
    download.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Nordwind Systems" in text and "77.50" in text
    assert "Baltic Motion" not in text  # the cohort is shown, other partners stay anonymous
