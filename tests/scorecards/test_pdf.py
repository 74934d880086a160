"""A scorecard's PDF reads its facts in one transaction, also where nothing opened one (a task)."""

import io

import pytest
from django.db import connection
from pypdf import PdfReader

from prm.tenancy.context import tenant_context
from scorecards import pdf
from tests.factories import PartnerFactory, ScorecardFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pdf_made_outside_a_request_reads_its_facts_in_one_transaction(tenant, monkeypatch):
    # given: a scorecard, and no transaction open (as in the PDF batch's task)
    card = ScorecardFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant, name="Nordwind Systems"))
    seen = []

    def context_read(scorecard, **kwargs):
        seen.append(connection.in_atomic_block)
        return read(scorecard, **kwargs)

    read = pdf.scorecard_context
    monkeypatch.setattr(pdf, "scorecard_context", context_read)
    assert connection.get_autocommit()

    # when
    with tenant_context(tenant):
        made = pdf.render_scorecard(card)

    # then: its statements shared one transaction (a statement alone in autocommit pays three round
    # trips to carry the tenant scope), closed before WeasyPrint draws
    assert seen == [True] and not connection.in_atomic_block
    assert "Nordwind Systems" in PdfReader(io.BytesIO(made)).pages[0].extract_text()
