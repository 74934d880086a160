"""The template filters of ``prm.formats.display``: one formatting of figures and dates on every page,
PDF and e-mail (a template builtin, see ``TEMPLATES``; no ``{% load %}`` needed).

``{{ amount|money:currency }}``, ``{{ value|number:2 }}``, ``{{ growth|percent }}`` (a value in
percent), ``{{ attainment|ratio_percent }}`` (a ratio), ``{{ day|short_date }}``,
``{{ day|long_date }}``, ``{{ moment|short_datetime }}``.
"""

from django import template

from prm.formats import display

register = template.Library()


@register.filter
def number(value, decimals=None):
    return display.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def money(value, currency=""):
    return display.money(value, currency or "")


@register.filter
def percent(value, decimals=1):
    return display.percent(value, int(decimals))


@register.filter
def ratio_percent(value, decimals=1):
    return display.ratio_percent(value, int(decimals))


@register.filter
def short_date(value):
    return display.short_date(value)


@register.filter
def long_date(value):
    return display.long_date(value)


@register.filter
def short_datetime(value):
    return display.short_datetime(value)
