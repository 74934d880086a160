"""``{% api_token_section as section %}``: what the profile page's token section shows."""

from django import template

from ..forms import TokenForm
from ..selectors import tokens_of

register = template.Library()


@register.simple_tag(takes_context=True)
def api_token_section(context):
    """The user's tokens and the form for a new one (the one posted, with its errors, if any)."""
    request = context["request"]
    return {"tokens": list(tokens_of(request.user)), "form": context.get("token_form") or TokenForm()}
