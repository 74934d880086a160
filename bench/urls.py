"""The product's URLs plus bare JSON views of the same rows: the floor the list APIs are measured against."""

from django.http import HttpResponse, JsonResponse
from django.urls import include, path

from partners.models import Partner, Sale
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant

PARTNER_FIELDS = ["id", "name", "region", "country", "stage", "computed_tier", "tier_override", "owner_id"]
SALE_FIELDS = [
    "id",
    "partner_id",
    "external_id",
    "date",
    "product",
    "quantity",
    "amount",
    "currency",
    "customer",
]


def bare(model, fields, ordering):
    def view(request, tenant):
        with tenant_context(Tenant.objects.get(slug=tenant)):
            rows = list(model.objects.order_by(*ordering).values(*fields)[:50])
        return JsonResponse({"results": rows})

    return view


#: The bare view of the load section: a fixed answer of 1 KiB of JSON, nothing read.
FIXED = JsonResponse({"results": [{"id": n, "name": f"Row {n:04d}"} for n in range(34)]}).content


def fixed(request):
    return HttpResponse(FIXED, content_type="application/json")


urlpatterns = [
    path("bench/bare/fixed/", fixed),
    path("bench/bare/<slug:tenant>/partners/", bare(Partner, PARTNER_FIELDS, ["name", "id"])),
    path("bench/bare/<slug:tenant>/sales/", bare(Sale, SALE_FIELDS, ["-date", "-id"])),
    path("", include("prm.urls")),
]
