"""The project as an operator meets it: deploy checks, the API document, the demo seed, the database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from partners.models import Partner
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership, Tenant

ROOT = Path(__file__).resolve().parents[1]


def _production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **overrides}


def test_deploy_check_is_clean_with_production_settings():
    env = {
        **_production_env(),
        "DEBUG": "false",
        "SECRET_KEY": "x7#kq!v2@production-grade-secret-of-fifty-plus-characters-9f3",
        "ALLOWED_HOSTS": "prm.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_about_the_demo_secret_key():
    env = _production_env(DEBUG="false", ALLOWED_HOSTS="prm.example.com")
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr + result.stdout


@pytest.mark.django_db
def test_openapi_document_describes_the_tenant_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    contract = [
        "/api/v1/auth/token/",
        "/api/v1/tenants/",
        "me/",
        "members/",
        "jobs/{id}/",
        "partners/",
        "partners/{id}/",
        "partners/{id}/transition/",
        "partners/{id}/history/",
        "partners/{id}/visits/",
        "partners/{id}/assessments/",
        "partners/{id}/tier-override/",
        "sales/",
        "sales/import/",
        "deals/",
        "tiers/recompute/",
        "kpis/",
        "targets/",
        "targets/import/",
        "scorecards/",
        "scorecards/{id}/",
        "scorecards/{id}/pdf/",
        "scorecards/compute/",
        "partners/{id}/scorecard/",
        "incentive-rules/",
        "payout-runs/",
        "payout-runs/{id}/",
        "payout-runs/{id}/lines/",
        "payout-runs/{id}/approve/",
        "payout-runs/{id}/export/",
    ]
    for path in contract:
        full = path if path.startswith("/api/") else f"/api/v1/tenants/{{tenant}}/{path}"
        assert full in paths, full


def test_openapi_document_generates_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_api_docs_page_needs_no_internet(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<body")[0]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def memberships_in_every_tenant() -> list[tuple]:
    rows = []
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):  # memberships sit behind row-level security
            rows += Membership.objects.values_list("tenant__slug", "user__username", "role")
    return rows


@pytest.mark.django_db
def test_seed_demo_creates_every_role_and_is_idempotent():
    call_command("seed_demo", verbosity=0)

    def snapshot():
        return (
            Tenant.objects.count(),
            get_user_model().objects.count(),
            sorted(memberships_in_every_tenant()),
            sum(Partner.objects.for_tenant(tenant).count() for tenant in Tenant.objects.all()),
        )

    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    roles = {(slug, role) for slug, _, role in first[2]}
    for slug in ("acme", "globex"):
        for role in ("admin", "channel_manager", "regional_lead", "finance", "partner"):
            assert (slug, role) in roles
    consultant = [slug for slug, user, _ in first[2] if user == "consultant"]
    assert sorted(consultant) == ["acme", "globex"]


@pytest.mark.django_db
def test_every_answer_carries_the_content_security_policy(client):
    for path in ("/accounts/login/", "/api/v1/tenants/", "/api/docs/"):
        response = client.get(path)
        policy = response.get("Content-Security-Policy-Report-Only") or response.get(
            "Content-Security-Policy"
        )
        assert policy, path
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "report-uri /csp-report/" in policy


@pytest.mark.django_db
def test_the_content_security_policy_is_enforced_by_default(client):
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" in response
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize(
    ("value", "header"), [(None, "CONTENT_SECURITY_POLICY"), ("false", "CONTENT_SECURITY_POLICY_REPORT_ONLY")]
)
def test_report_only_is_the_opt_in(value, header):
    env = _production_env()
    env.pop("CSP_ENFORCE", None)
    if value is not None:
        env["CSP_ENFORCE"] = value
    code = "import prm.settings.security as s; print(sorted(n for n in dir(s) if n.startswith('CONTENT_')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([header])


def test_the_swagger_ui_has_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "") and "<script src=" in html


def test_a_csp_violation_report_is_logged(client, caplog):
    report = {"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline"}}
    response = client.post("/csp-report/", data=report, content_type="application/csp-report")
    assert response.status_code == 204
    assert "CSP violation" in caplog.text and "script-src" in caplog.text


# --- one database: PostgreSQL ------------------------------------------------------------


def _settings_with(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in _production_env().items() if not k.startswith("DATABASE_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "prm.settings", **environment},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://prm:pw@localhost/prm", "db.sqlite3"])
def test_the_settings_refuse_any_database_but_postgresql(url):
    result = _settings_with(DATABASE_URL=url)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DATABASE_URL" in result.stderr
    assert "PostgreSQL only" in result.stderr


def test_the_settings_refuse_another_engine_for_the_owner_role_too():
    result = _settings_with(DATABASE_URL="postgres://prm@h/prm", DATABASE_OWNER_URL="sqlite:///x")
    assert result.returncode != 0 and "DATABASE_OWNER_URL" in result.stderr


def test_without_database_url_or_embedded_cluster_the_settings_say_what_to_set(tmp_path):
    result = _settings_with(PRM_DEVDB_DIR=str(tmp_path / "none"))
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr and "make demo" in result.stderr


def test_without_database_url_the_settings_take_the_embedded_clusters_three_roles(tmp_path):
    (tmp_path / "devdb.json").write_text(
        '{"port": 54399, "passwords": {"postgres": "s", "prm": "w", "prm_owner": "o", "prm_ops": "x"}}'
    )
    code = (
        "import json; from django.conf import settings; d = settings.DATABASES; "
        "print(json.dumps({a: [d[a][k] for k in ('ENGINE', 'USER', 'PASSWORD', 'HOST', 'PORT', 'NAME')] for a in d}))"
    )
    env = {k: v for k, v in _production_env().items() if not k.startswith("DATABASE_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "prm.settings", "PRM_DEVDB_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    engine = "prm.tenancy.postgresql"
    assert json.loads(result.stdout) == {
        "default": [engine, "prm", "w", "127.0.0.1", 54399, "prm"],
        "operations": [engine, "prm_ops", "x", "127.0.0.1", 54399, "prm"],
        "owner": [engine, "prm_owner", "o", "127.0.0.1", 54399, "prm"],
    }
