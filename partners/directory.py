"""The partner directory: how the tenancy core reaches partners without importing them.

Configured as ``settings.PRM_PARTNER_DIRECTORY``.
"""

from prm.tenancy.context import tenant_context

from .models import Partner, PartnerUser


class PartnerDirectory:
    def partner_id_for(self, membership) -> int | None:
        """The partner of a partner user's membership, or None.

        Asked before the request has a scope: looked up inside the membership's tenant.
        """
        with tenant_context(membership.tenant_id):
            return (
                PartnerUser.objects.for_tenant(membership.tenant_id)
                .filter(membership=membership)
                .values_list("partner_id", flat=True)
                .first()
            )

    def partners(self, tenant):
        return Partner.objects.for_tenant(tenant)

    def partner_names(self, tenant) -> dict[int, str]:
        return dict(self.partners(tenant).values_list("pk", "name"))

    def partner_ids_by_membership(self, tenant) -> dict[int, int]:
        links = PartnerUser.objects.for_tenant(tenant).values_list("membership_id", "partner_id")
        return dict(links)

    def link(self, *, membership, partner_id: int) -> None:
        PartnerUser.objects.for_tenant(membership.tenant_id).update_or_create(
            membership=membership,
            defaults={"partner_id": partner_id, "tenant_id": membership.tenant_id},
        )

    def unlink(self, *, membership) -> None:
        PartnerUser.objects.for_tenant(membership.tenant_id).filter(membership=membership).delete()
