"""Payout lines as the API answers them agree with the OpenAPI document, adjustments included
(a line of no rule: its rule, rule name and version are null, and the document says they may be)."""

from decimal import Decimal as D

import jsonschema
import pytest

from incentives.services.runs import payout_adjustment_add
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.incentives.test_run_chunks import channel, compute  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def as_json_schema(node):
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema's ``null`` type, throughout."""
    if isinstance(node, dict):
        node = {key: as_json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    return node


def test_an_adjustment_line_is_what_the_document_says(tenant, channel, member, api, client):  # noqa: F811
    run = compute(tenant)
    finance = member(tenant, Role.FINANCE)
    with tenant_context(tenant):
        payout_adjustment_add(
            run=run, actor=finance, partner=channel[0], amount=D("-12.50"), reason="Credit note"
        )
    document = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    schema = {"$ref": "#/components/schemas/PayoutLine", "components": as_json_schema(document["components"])}

    lines = (
        api(finance).get(f"/api/v1/tenants/{tenant.slug}/payout-runs/{run.pk}/lines/?page_size=200").json()
    )
    adjustment = next(line for line in lines["results"] if line["kind"] == "adjustment")
    ruled = next(line for line in lines["results"] if line["kind"] != "adjustment")

    assert (adjustment["rule"], adjustment["rule_name"], adjustment["rule_version"]) == (None, None, None)
    for line in (adjustment, ruled):
        jsonschema.validate(line, schema)
