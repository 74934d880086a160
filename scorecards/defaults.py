"""The KPIs a tenant starts with (API codes: revenue, growth, deal_registrations,
win_rate, product_registrations, satisfaction, training)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .choices import Dimension, Direction, KpiSource
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


def ensure_default_kpis(tenant) -> None:
    """Create the default KPIs for a tenant that has none (idempotent)."""
    existing = Kpi.objects.for_tenant(tenant)
    if existing.exists():
        return
    existing.bulk_create(
        [
            Kpi(
                tenant=tenant,
                code=code,
                name=str(name),
                source=source,
                direction=Direction.HIGHER,
                weight=Decimal(weight),
                dimension=dimension,
                default_target=Decimal(target) if target else None,
                position=index,
            )  # fmt: skip
            for index, (code, name, source, weight, dimension, target) in enumerate(DEFAULT_KPIS)
        ]
    )
