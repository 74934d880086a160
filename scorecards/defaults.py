"""The KPIs a tenant starts with (API codes: revenue, growth, deal_registrations,
win_rate, product_registrations, satisfaction, training), and the vendor's side of
activation an admin adds in one step (enablement_visits, answered_in_time)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .choices import VENDOR_SOURCES, Dimension, Direction, KpiSource, Side, unit_of_source
from .models import Kpi

DEFAULT_KPIS = [
    # code, name, source, weight, dimension, default target
    ("revenue", _("Revenue against target"), KpiSource.SALES, "3", Dimension.PERFORMANCE, None),
    ("growth", _("Growth rate (%)"), KpiSource.GROWTH, "1", Dimension.PERFORMANCE, "10"),
    (
        "deal_registrations",
        _("Deal registrations"),
        KpiSource.DEAL_REGISTRATIONS,
        "1",
        Dimension.PERFORMANCE,
        "3",
    ),
    ("win_rate", _("Win rate (%)"), KpiSource.WIN_RATE, "1", Dimension.PERFORMANCE, "40"),
    (
        "product_registrations",
        _("Product registrations"),
        KpiSource.PRODUCT_REGISTRATIONS,
        "1",
        Dimension.ENGAGEMENT,
        "5",
    ),
    (
        "satisfaction",
        _("Customer satisfaction (NPS)"),
        KpiSource.SATISFACTION,
        "1",
        Dimension.ENGAGEMENT,
        "30",
    ),
    ("training", _("Training completion (%)"), KpiSource.TRAINING, "1", Dimension.ACTIVATION, "100"),
]

#: The vendor's side of activation: what the vendor does for the partner. Not among the defaults (the
#: API contract names those); an admin adds them from the KPI page (``ensure_vendor_side_kpis``) and the
#: demo tenant has them.
VENDOR_SIDE_KPIS = [
    (
        "enablement_visits",
        _("Enablement visits and meetings"),
        KpiSource.VISITS,
        "1",
        Dimension.ACTIVATION,
        "2",
    ),
    (
        "answered_in_time",
        _("Deal registrations answered in time (%)"),
        KpiSource.ANSWERED_IN_TIME,
        "1",
        Dimension.ACTIVATION,
        "90",
    ),
]


def ensure_default_kpis(tenant) -> None:
    """Create the default KPIs for a tenant that has none (idempotent)."""
    existing = Kpi.objects.for_tenant(tenant)
    if existing.exists():
        return
    existing.bulk_create(_kpis(tenant, DEFAULT_KPIS, start=0))


def ensure_vendor_side_kpis(tenant) -> list[str]:
    """Add the vendor's side of activation (the KPIs the tenant does not have yet); the codes added."""
    existing = Kpi.objects.for_tenant(tenant)
    have = set(existing.values_list("code", flat=True))
    missing = [row for row in VENDOR_SIDE_KPIS if row[0] not in have]
    start = (existing.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    existing.bulk_create(_kpis(tenant, missing, start=start))
    return [row[0] for row in missing]


def _kpis(tenant, rows, *, start: int) -> list[Kpi]:
    return [
        Kpi(
            tenant=tenant,
            code=code,
            name=str(name),
            source=source,
            direction=Direction.HIGHER,
            weight=Decimal(weight),
            dimension=dimension,
            side=Side.VENDOR if source in VENDOR_SOURCES else Side.PARTNER,
            unit=unit_of_source(source),
            default_target=Decimal(target) if target else None,
            position=start + index,
        )
        for index, (code, name, source, weight, dimension, target) in enumerate(rows)
    ]
