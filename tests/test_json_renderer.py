"""The API's JSON renderer (orjson) writes what DRF's renderer wrote, byte for byte (a float in
exponent form aside: the same number): clients parse the same answers, times and money read the same."""

import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers

from prm.api.renderers import JSONRenderer
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

ANSWER = {
    "count": 2,
    "next": None,
    "results": [
        {
            "id": 7,
            "name": "Nordwind GmbH — Zürich 東京",
            "amount": Decimal("1234.50"),
            "rate": 0.9,
            "score": 72.5,
            "big": 10**18,
            "flag": True,
            "none": None,
            "at": datetime(2026, 12, 6, 21, 4, 5, 123456, tzinfo=UTC),
            "local": datetime(2026, 12, 6, 22, 4, 5, tzinfo=timezone(timedelta(hours=1))),
            "on": date(2026, 12, 6),
            "time": time(9, 30),
            "took": timedelta(minutes=90),
            "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "label": gettext_lazy("No such tenant."),
            "ids": (1, 2, 3),
            "by_partner": {12: "A", 13: "B"},
            "nested": {"axes": {"competitiveness": {"score": 72.5, "strong": True}}, "inputs": []},
            "escaped": 'quote " backslash \\ newline \n tab \t control \x01 <script>',
            "separators": "line\u2028paragraph\u2029end",
        },
        {"id": 8, "name": "", "amount": Decimal("-0.10"), "rate": 0.000123},
    ],
}


def test_the_renderer_writes_exactly_what_drf_wrote():
    ours = JSONRenderer().render(ANSWER, "application/json", {})
    drf = renderers.JSONRenderer().render(ANSWER, "application/json", {})
    assert ours == drf
    assert b'"amount":1234.5' in ours and b'"at":"2026-12-06T21:04:05.123456Z"' in ours


def test_a_float_in_exponent_form_is_the_same_number():
    # Python writes 1e-07, orjson 1e-7: both JSON, the same float
    assert JSONRenderer().render({"rate": 1e-7}, "application/json", {}) == b'{"rate":1e-7}'


def test_an_indented_answer_is_still_indented():
    rendered = JSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert rendered == b'{\n  "a": [\n    1\n  ]\n}'


@pytest.mark.django_db
def test_an_api_answer_is_what_drf_would_have_sent(api, tenant, member):

    PartnerFactory(tenant=tenant, name="Zürich Systems", computed_tier="B")
    response = api(member(tenant, Role.CHANNEL_MANAGER)).get(f"/api/v1/tenants/{tenant.slug}/partners/")

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.content == renderers.JSONRenderer().render(response.data, "application/json", {})
    assert response.json()["results"][0]["name"] == "Zürich Systems"
