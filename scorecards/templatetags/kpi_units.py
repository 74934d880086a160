"""``{% kpi_value value unit %}``: a KPI's target or actual in its unit (``scorecards.units``), money
in the current tenant's currency (the context's ``tenant``)."""

from django import template

from scorecards.units import kpi_value as shown

register = template.Library()


@register.simple_tag(takes_context=True)
def kpi_value(context, value, unit):
    tenant = context.get("tenant")
    return shown(value, unit, getattr(tenant, "currency", "") or "")
