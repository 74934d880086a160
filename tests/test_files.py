"""Files are tenant data: checked by content, stored privately, fetched only through their row.

Run against the private folder and against an S3-compatible server (moto's
server mode on loopback), the storage web and workers share across hosts.
"""

import datetime
import io
import re
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from incentives.choices import MdfStatus
from incentives.models import MdfClaim
from incentives.services.mdf import mdf_claim_submit
from onboarding.models import Agreement
from prm.files import JPEG, PDF, PNG, check_upload, storage
from prm.jobs.models import Job
from prm.jobs.services import job_files_purge
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.conftest import s3_storage
from tests.factories import (
    AgreementTemplateFactory,
    MdfRequestFactory,
    PartnerFactory,
    real_pdf,
)

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, kind)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(params=["filesystem", "s3"])
def any_storage(request, settings, tmp_path):
    """The private folder, or an S3 bucket on a local S3-compatible server."""
    settings.MEDIA_ROOT = str(tmp_path)
    if request.param == "filesystem":
        yield "filesystem"
        return
    with s3_storage(settings):
        yield "s3"


# --- uploads are checked by what they are ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "accept"),
    [
        ("contract.pdf", HTML, (PDF,)),
        ("contract.pdf", SVG, (PDF,)),
        ("contract.pdf", b"%PDF-1.7 and then nothing a PDF reader could open", (PDF,)),
        ("invoice.png", SVG, (PDF, PNG, JPEG)),
        ("invoice.png", image("GIF"), (PDF, PNG, JPEG)),
        ("photo.jpg", image("PNG"), (PDF,)),
    ],
    ids=[
        "html as pdf",
        "svg as pdf",
        "pdf header only",
        "svg as png",
        "gif as png",
        "png where a pdf is due",
    ],
)
def test_a_file_that_is_not_what_is_accepted_is_refused_naming_the_field(name, content, accept):
    with pytest.raises(Exception) as caught:
        check_upload(upload(name, content), field="proof", accept=accept)
    assert list(caught.value.message_dict) == ["proof"]


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("a.pdf", real_pdf(), PDF),
        ("scan.PNG", image("PNG"), PNG),
        ("photo.jpeg", image("JPEG"), JPEG),
        ("named-wrongly.pdf", image("PNG"), PNG),
    ],
)
def test_a_real_pdf_or_image_is_accepted_and_keeps_its_name(name, content, found):
    file = upload(name, content)
    checked = check_upload(file, field="proof", accept=(PDF, PNG, JPEG))
    assert (checked.content_type, checked.original_name) == (found, name)
    assert file.name.endswith({PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}[found])


def test_a_file_above_the_limit_is_refused_with_a_400_naming_the_field(api, tenant, member, settings):
    settings.PRM_MAX_UPLOAD_BYTES = 1024
    partner = PartnerFactory(tenant=tenant, stage="strategic")
    template = AgreementTemplateFactory(tenant=tenant)
    response = api(member(tenant, Role.ADMIN)).post(
        f"/api/v1/tenants/{tenant.slug}/agreements/",
        {
            "partner": partner.pk,
            "template": template.pk,
            "signed_on": "2026-09-01",
            "signatories": "Ana Lima, CEO",
            "document": upload("a.pdf", real_pdf() + b" " * 2048),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "1 MB" in str(response.json()["document"]) or "0 MB" in str(response.json()["document"])


# --- stored privately, fetched through the row ----------------------------------------


@pytest.fixture
def signed_agreement(any_storage, api, tenant, member):
    partner = PartnerFactory(tenant=tenant, name="Nordwind", stage="strategic")
    template = AgreementTemplateFactory(tenant=tenant)
    response = api(member(tenant, Role.ADMIN)).post(
        f"/api/v1/tenants/{tenant.slug}/agreements/",
        {
            "partner": partner.pk,
            "template": template.pk,
            "signed_on": "2026-09-01",
            "signatories": "Ana Lima, CEO",
            "document": upload("Nordwind contract.pdf", real_pdf(2)),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return response.json(), partner


def test_an_agreement_is_stored_under_its_tenant_with_a_random_name(signed_agreement, tenant):
    body, _ = signed_agreement
    stored = Agreement.objects.for_tenant(tenant).get(pk=body["id"])
    assert re.fullmatch(rf"tenants/{tenant.pk}/agreements/[0-9a-f]{{32}}\.pdf", stored.document.name)
    assert stored.document_name == body["document_name"] == "Nordwind contract.pdf"
    assert (
        body["document"]
        == f"http://testserver/api/v1/tenants/{tenant.slug}/agreements/{body['id']}/document/"
    )


def test_the_document_downloads_as_an_attachment_for_those_who_see_the_agreement(
    signed_agreement, api, client, tenant, member, partner_user
):
    body, partner = signed_agreement
    for caller in (api(member(tenant, Role.FINANCE)), api(partner_user(tenant, partner=partner))):
        response = caller.get(body["document"])
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == real_pdf(2)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Nordwind contract.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(
        member(tenant, Role.CHANNEL_MANAGER), backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(f"/t/{tenant.slug}/agreements/{body['id']}/document/")
    assert page.status_code == 200 and page["Content-Disposition"].startswith("attachment")


def test_no_one_else_can_fetch_the_document(
    signed_agreement, api, client, tenant, other_tenant, member, partner_user
):
    body, _ = signed_agreement
    assert api().get(body["document"]).status_code == 401
    assert api(member(other_tenant, Role.ADMIN)).get(body["document"]).status_code == 404
    assert api(partner_user(tenant)).get(body["document"]).status_code == 404  # another partner's user
    stored = Agreement.objects.for_tenant(tenant).get(pk=body["id"]).document.name
    for path in (f"/media/{stored}", f"/no-public-media/{stored}", f"/{stored}"):
        assert client.get(path).status_code == 404
    client.force_login(member(other_tenant, Role.ADMIN), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/t/{other_tenant.slug}/agreements/{body['id']}/document/").status_code == 404


def test_an_mdf_proof_image_downloads_as_an_image_attachment_for_its_partner_only(
    any_storage, api, tenant, partner_user
):
    partner = PartnerFactory(tenant=tenant)
    request = MdfRequestFactory(tenant=tenant, partner=partner, amount=1000, status=MdfStatus.APPROVED)
    mine = api(partner_user(tenant, partner=partner))
    created = mine.post(
        f"/api/v1/tenants/{tenant.slug}/mdf-claims/",
        {
            "request": request.pk,
            "amount": "400",
            "description": "Trade fair booth",
            "proof": upload("booth.png", image("PNG"), "image/png"),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()

    response = mine.get(created.json()["proof"])
    assert response.status_code == 200
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/png",
        'attachment; filename="booth.png"',
    )
    assert api(partner_user(tenant)).get(created.json()["proof"]).status_code == 404


def test_a_file_stored_by_one_host_is_read_by_another(any_storage, settings):
    """Web and workers each build their own storage from the same settings."""

    name = storages.create_storage(settings.STORAGES["default"]).save(
        "tenants/1/x/probe.pdf", ContentFile(b"%PDF")
    )
    other_host = storages.create_storage(settings.STORAGES["default"])
    assert other_host.open(name).read() == b"%PDF"


# --- generated files expire ------------------------------------------------------------


def test_generated_files_are_removed_after_the_retention_and_then_answer_404(
    any_storage, api, tenant, member
):
    old_name = storage().save(f"tenants/{tenant.pk}/jobs/1/old.zip", ContentFile(b"PK old"))
    new_name = storage().save(f"tenants/{tenant.pk}/jobs/2/new.zip", ContentFile(b"PK new"))
    now = timezone.now()
    old = Job.objects.for_tenant(tenant).create(
        tenant=tenant,
        kind="scorecard_pdfs",
        status="succeeded",
        finished_at=now - datetime.timedelta(days=8),
        result={"file": old_name, "filename": "old.zip", "url": "/x/"},
    )
    new = Job.objects.for_tenant(tenant).create(
        tenant=tenant,
        kind="scorecard_pdfs",
        status="succeeded",
        finished_at=now,
        result={"file": new_name, "filename": "new.zip", "url": "/y/"},
    )

    assert job_files_purge(tenant=tenant, before=now - datetime.timedelta(days=7)) == 1

    client = api(member(tenant, Role.ADMIN))
    assert not storage().exists(old_name) and storage().exists(new_name)
    assert client.get(f"/api/v1/tenants/{tenant.slug}/jobs/{old.pk}/file/").status_code == 404
    assert client.get(f"/api/v1/tenants/{tenant.slug}/jobs/{old.pk}/").json()["result"]["expired"] is True
    kept = client.get(f"/api/v1/tenants/{tenant.slug}/jobs/{new.pk}/file/")
    assert kept.status_code == 200 and b"".join(kept.streaming_content) == b"PK new"


# --- MDF claims cannot overspend, even sent at once ------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claims_sent_at_once_cannot_together_exceed_the_approved_amount(tenant):

    request = MdfRequestFactory(tenant=tenant, amount=1000, status=MdfStatus.APPROVED)
    barrier, outcomes = threading.Barrier(2), []

    def claim(n):
        try:
            with tenant_context(tenant):
                barrier.wait()
                mdf_claim_submit(
                    request=request,
                    amount=700,
                    description=f"Fair {n}",
                    proof=upload(f"p{n}.pdf", real_pdf()),
                )
                outcomes.append("claimed")
        except Exception as exc:  # noqa: BLE001 - the refused one
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ValidationError", "claimed"]
    assert MdfClaim.objects.for_tenant(tenant).count() == 1
