"""SAML sign-in end to end against a real pysaml2 identity provider (tests/sso/saml_idp.py).

The test client plays the browser: it follows our redirect to the IdP over real HTTP, reads the
IdP's auto-submitting form and posts it to our assertion consumer service, as a browser would.
"""

import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from saml2 import BINDING_HTTP_REDIRECT
from saml2.mdstore import MetadataStore

from prm.audit.models import AuditEntry
from prm.sso.models import ExternalIdentity, IdentityProvider
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Membership

from .saml_idp import SamlIdentityProvider, read_post_form

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "operations"])

User = get_user_model()

MAPPING = {"prm-admins": Role.ADMIN, "prm-finance": Role.FINANCE, "prm-managers": Role.CHANNEL_MANAGER}


@pytest.fixture(scope="module")
def saml_idp():
    with SamlIdentityProvider() as idp:
        yield idp


@pytest.fixture
def idp(saml_idp):
    saml_idp.mode, saml_idp.user = "ok", None
    yield saml_idp
    saml_idp.mode, saml_idp.user = "ok", None


@pytest.fixture
def provider(tenant, idp, client):
    return make_provider(tenant, idp, client)


def make_provider(tenant, idp, client, **fields):
    """A SAML provider of ``tenant`` trusting the test IdP, and the IdP trusting its SP."""

    values = {
        "name": "Acme SAML",
        "protocol": "saml",
        "email_domains": ["acme.test"],
        "metadata_xml": idp.metadata_xml,
        "role_mapping": MAPPING,
    }
    values.update(fields)
    with tenant_context(tenant):
        provider = IdentityProvider.objects.for_tenant(tenant).create(tenant=tenant, **values)
    idp.trust_sp(client.get(f"/sso/saml/{provider.pk}/metadata/").content)
    return provider


def through_idp(client, provider, next_url=""):
    """Start at /sso/<id>/start/, go to the IdP, post its answer to our ACS; our last response."""

    start = client.get(f"/sso/{provider.pk}/start/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    to_idp = client.get(start["Location"])
    assert to_idp.status_code == 302, to_idp.content
    assert "SAMLRequest" in parse_qs(urlsplit(to_idp["Location"]).query)
    page = urllib.request.urlopen(to_idp["Location"], timeout=10).read().decode()
    action, fields = read_post_form(page)
    assert urlsplit(action).path == f"/sso/saml/{provider.pk}/acs/"
    return client.post(urlsplit(action).path, fields)


def membership(tenant, user):
    with tenant_context(tenant):
        return Membership.objects.for_tenant(tenant).get(user=user)


def actions(tenant):
    with tenant_context(tenant):
        return list(AuditEntry.objects.filter(tenant=tenant).order_by("id").values_list("action", flat=True))


def test_first_sign_in_creates_the_user_with_the_role_its_groups_map_to(tenant, provider, idp, client):
    idp.sign_in_as(
        "ann-0001", "Ann@Acme.test", first_name="Ann", last_name="Lee", groups=["prm-admins", "other"]
    )

    answer = through_idp(client, provider)

    assert answer.status_code == 302 and answer["Location"] == "/"
    user = User.objects.get(email="ann@acme.test")
    assert (user.first_name, user.last_name) == ("Ann", "Lee")
    assert not user.has_usable_password()
    assert membership(tenant, user).role == Role.ADMIN
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["prm_signed_in_with"] == "sso"
    with tenant_context(tenant):
        assert ExternalIdentity.objects.for_tenant(tenant).get(provider=provider).subject == "ann-0001"
    assert {"sso.user_created", "sso.access_granted", "sso.signed_in"} <= set(actions(tenant))
    # the signed-in user reaches the tenant's portal
    assert client.get(f"/t/{tenant.slug}/").status_code == 200


def test_next_sign_in_updates_the_same_user_role_and_e_mail(tenant, provider, idp, client):
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])
    through_idp(client, provider)
    client.logout()

    idp.sign_in_as("ann-0001", "ann.lee@acme.test", first_name="Annie", groups=["prm-finance"])
    answer = through_idp(client, provider)

    assert answer.status_code == 302
    user = User.objects.get(email="ann.lee@acme.test")
    assert User.objects.filter(first_name__in=["Annie", ""]).count() == 1
    assert user.first_name == "Annie"
    assert membership(tenant, user).role == Role.FINANCE
    assert "sso.role_changed" in actions(tenant)


def test_the_strongest_mapped_group_wins(tenant, provider, idp, client):
    idp.sign_in_as("bob-1", "bob@acme.test", groups=["prm-finance", "prm-managers"])

    through_idp(client, provider)

    assert membership(tenant, User.objects.get(email="bob@acme.test")).role == Role.CHANNEL_MANAGER


def test_access_is_removed_when_no_group_maps_any_more(tenant, provider, idp, client):
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])
    through_idp(client, provider)
    client.logout()

    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["somewhere-else"])
    answer = through_idp(client, provider)

    assert answer.status_code == 403
    assert b"no longer gives you access" in answer.content
    assert membership(tenant, User.objects.get(email="ann@acme.test")).is_active is False
    assert "_auth_user_id" not in client.session
    assert "sso.access_removed" in actions(tenant)


@pytest.mark.parametrize("mode", ["wrong_audience", "expired", "unsigned"])
def test_a_bad_assertion_is_refused_and_nobody_is_signed_in(tenant, provider, idp, client, mode):
    idp.sign_in_as("eve-1", "eve@acme.test", groups=["prm-admins"])
    idp.mode = mode

    answer = through_idp(client, provider)

    assert answer.status_code == 403
    assert b"could not be accepted" in answer.content
    assert not User.objects.filter(email="eve@acme.test").exists()
    assert "_auth_user_id" not in client.session


def test_a_domain_the_provider_does_not_serve_is_refused(tenant, provider, idp, client):
    idp.sign_in_as("mal-1", "mallory@elsewhere.test", groups=["prm-admins"])

    answer = through_idp(client, provider)

    assert answer.status_code == 403
    assert b"elsewhere.test" in answer.content
    assert not User.objects.filter(email="mallory@elsewhere.test").exists()
    assert "sso.refused" in actions(tenant)


def test_a_response_is_accepted_once_only(tenant, provider, idp, client):
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])
    client.get(f"/sso/{provider.pk}/start/")
    to_idp = client.get(f"/sso/saml/{provider.pk}/start/")
    action, fields = read_post_form(urllib.request.urlopen(to_idp["Location"], timeout=10).read().decode())
    assert client.post(urlsplit(action).path, fields).status_code == 302
    client.logout()

    replayed = client.post(urlsplit(action).path, fields)

    assert replayed.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_answer_to_another_providers_request_is_refused(tenant, provider, idp, client):
    """A response for provider A posted to provider B's ACS: B never asked, its audience is A."""
    other = make_provider(tenant, idp, client, name="Other", email_domains=["other.test"])
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])
    to_idp = client.get(f"/sso/saml/{provider.pk}/start/")
    _, fields = read_post_form(urllib.request.urlopen(to_idp["Location"], timeout=10).read().decode())

    answer = client.post(f"/sso/saml/{other.pk}/acs/", fields)

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_unsolicited_response_is_refused(tenant, provider, idp, client):
    """An IdP-initiated response (no request of ours waiting) is not accepted."""
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])
    to_idp = client.get(f"/sso/saml/{provider.pk}/start/")
    _, fields = read_post_form(urllib.request.urlopen(to_idp["Location"], timeout=10).read().decode())
    client.cookies.clear()
    cache.clear()  # no request of ours is waiting any more

    assert client.post(f"/sso/saml/{provider.pk}/acs/", fields).status_code == 403


def test_the_groups_are_read_from_the_providers_attribute(tenant, idp, client):
    provider = make_provider(tenant, idp, client, groups_claim="memberOf")
    idp.sign_in_as("cy-1", "cy@acme.test", groups=["prm-admins"], attributes={"memberOf": ["prm-finance"]})

    through_idp(client, provider)

    assert membership(tenant, User.objects.get(email="cy@acme.test")).role == Role.FINANCE


def test_our_metadata_name_the_acs_and_the_signing_certificate(provider, client, settings):
    answer = client.get(f"/sso/saml/{provider.pk}/metadata/")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/samlmetadata+xml"
    store = MetadataStore(attrc=None, config=None)
    store.load("inline", answer.content.decode())
    entity_id = f"{settings.PRM_BASE_URL}/sso/saml/{provider.pk}/metadata/"
    assert store.assertion_consumer_service(entity_id)[0]["location"] == (
        f"{settings.PRM_BASE_URL}/sso/saml/{provider.pk}/acs/"
    )
    assert store.certs(entity_id, "spsso", "signing")


def test_the_authn_request_is_signed_and_names_our_acs(provider, idp, client):
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])
    to_idp = client.get(f"/sso/saml/{provider.pk}/start/")
    query = parse_qs(urlsplit(to_idp["Location"]).query)

    assert "Signature" in query and "SigAlg" in query
    request = idp.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT).message
    assert request.assertion_consumer_service_url.endswith(f"/sso/saml/{provider.pk}/acs/")


def test_the_idp_metadata_can_come_from_its_url(tenant, idp, client, settings):
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = True  # the test's IdP listens on 127.0.0.1
    provider = make_provider(tenant, idp, client, metadata_xml="", metadata_url=idp.entity_id)
    idp.sign_in_as("dan-1", "dan@acme.test", groups=["prm-managers"])

    assert through_idp(client, provider).status_code == 302
    assert membership(tenant, User.objects.get(email="dan@acme.test")).role == Role.CHANNEL_MANAGER


def test_a_private_metadata_url_is_not_fetched(tenant, idp, client, settings):
    provider = make_provider(
        tenant, idp, client, metadata_xml="", metadata_url="https://127.0.0.1:1/metadata"
    )
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = False

    answer = client.get(f"/sso/saml/{provider.pk}/start/")

    assert answer.status_code == 403
    assert b"private or local address" in answer.content


def test_an_inactive_or_oidc_provider_has_no_saml_pages(tenant, idp, client):
    inactive = make_provider(tenant, idp, client)
    with tenant_context(tenant):
        IdentityProvider.objects.for_tenant(tenant).filter(pk=inactive.pk).update(is_active=False)
        oidc = IdentityProvider.objects.for_tenant(tenant).create(
            tenant=tenant, name="OIDC", protocol="oidc", email_domains=["oidc.test"]
        )

    for provider in (inactive, oidc):
        assert client.get(f"/sso/saml/{provider.pk}/start/").status_code == 404
        assert client.get(f"/sso/saml/{provider.pk}/metadata/").status_code == 404
        assert client.post(f"/sso/saml/{provider.pk}/acs/", {"SAMLResponse": "x"}).status_code == 404


def test_another_tenants_local_account_is_not_taken_over(tenant, other_tenant, provider, idp, client, member):
    member(other_tenant, Role.ADMIN, email="ann@acme.test", username="ann-beta")
    idp.sign_in_as("ann-0001", "ann@acme.test", groups=["prm-admins"])

    answer = through_idp(client, provider)

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(email__iexact="ann@acme.test").count() == 1
