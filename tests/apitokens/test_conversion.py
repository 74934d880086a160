"""Migration 0002: DRF's eternal tokens become named tokens that end 90 days later and keep working."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from prm.apitokens.models import ApiToken

pytestmark = pytest.mark.django_db

migration = import_module("prm.apitokens.migrations.0002_convert_drf_tokens")


def test_a_drf_token_keeps_working_for_90_days_as_a_named_token(tenant, member, with_token):
    user = member(tenant)
    key = Token.objects.create(user=user).key

    with connection.schema_editor() as editor:
        migration.convert(None, editor)
        migration.convert(None, editor)  # run twice (a retried upgrade): one token still

    token = ApiToken.objects.get(user=user)
    assert (token.name, token.scope, token.prefix) == ("script (converted)", "read_write", key[:8])
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=5)
    assert with_token(key).get("/api/v1/tenants/").json()[0]["slug"] == "alpha"
