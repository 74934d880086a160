"""Template context for the shell: the tenant switcher and the role's navigation."""

from django.urls import reverse

from prm.tenancy.capabilities import Can
from prm.tenancy.selectors import memberships_of

from .registry import SECTIONS, nav_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "tenant_access", None)
    context = {"memberships": memberships_of(user)}
    if access is not None:
        slug = access.tenant.slug
        current = request.resolver_match.view_name if request.resolver_match else ""
        context["nav"] = [
            {
                "label": item.label,
                "url": reverse(item.url_name, kwargs={"tenant": slug}),
                "active": item.is_current(current),
                "section": SECTIONS.get(item.section, ""),
            }
            for item in nav_for(access.role)
        ]
        context["tenant"] = access.tenant
        context["access"] = access
        context["can"] = Can(access.role)
    return context
