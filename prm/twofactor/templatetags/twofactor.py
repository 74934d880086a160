"""``{% two_factor_section %}``: the profile's two-factor card (set up, recovery codes, turn off)."""

from django import template

from ..devices import confirmed_authenticator, pending_authenticator, recovery_codes_left
from ..forms import CodeForm
from ..policy import binding_memberships
from ..qr import manual_secret, provisioning_svg

register = template.Library()


@register.inclusion_tag("twofactor/_section.html", takes_context=True)
def two_factor_section(context):
    request = context["request"]
    user = request.user
    action = context.get("two_factor_action", "")
    form = context.get("two_factor_form")
    section = {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "enrolled": confirmed_authenticator(user) is not None,
        "binding": [m.tenant.name for m in binding_memberships(user)],
        "confirm_form": form if action == "confirm" else CodeForm(auto_id="confirm_%s"),
        "disable_form": form if action == "disable" else CodeForm(auto_id="disable_%s"),
    }
    if section["enrolled"]:
        section["codes_left"] = recovery_codes_left(user)
    elif pending := pending_authenticator(user):
        section.update(pending=True, qr=provisioning_svg(pending), secret=manual_secret(pending))
    return section
