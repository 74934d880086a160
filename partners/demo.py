"""Demo partners of a tenant, and a partner user for the first one (idempotent)."""

from prm.tenancy.choices import Role
from prm.tenancy.demo import ensure_member
from prm.tenancy.models import Membership

from .models import Partner

PARTNERS = {
    "acme": [
        ("Nordwind Systems", "North", "DE"),
        ("Lusitania Automação", "South", "PT"),
        ("Rhône Intégration", "West", "FR"),
        ("Adriatica Robotica", "South", "IT"),
        ("Iberia Control", "South", "ES"),
    ],
    "globex": [
        ("Pacific Cloud Partners", "West", "US"),
        ("Maple Data", "North", "CA"),
        ("Andes Software", "South", "BR"),
        ("Shenzhen Link", "APAC", "CN"),
    ],
}


def seed(tenant) -> None:
    for name, region, country in PARTNERS.get(tenant.slug, []):
        Partner.objects.get_or_create(
            tenant=tenant, name=name, defaults={"region": region, "country": country}
        )
    first = Partner.objects.filter(name=PARTNERS[tenant.slug][0][0]).first()
    admin = Membership.objects.get(tenant=tenant, user__username=f"{tenant.slug}-admin").user
    ensure_member(tenant, admin, f"{tenant.slug}-partner", Role.PARTNER, partner_id=first.pk)
