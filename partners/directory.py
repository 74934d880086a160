"""The partner directory: how the tenancy core reaches partners without importing them.

Configured as ``settings.PRM_PARTNER_DIRECTORY``.
"""

from partners.models import Partner, PartnerUser
from partners.picker import PartnerPickerField, label
from prm.tenancy.context import tenant_context


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

    def partner_names(self, tenant, ids) -> dict[int, str]:
        """Names of the partners ``ids`` (a page's worth, never the whole directory)."""
        return dict(self.partners(tenant).filter(pk__in=list(ids)).values_list("pk", "name"))

    def picker_labels(self, tenant, ids) -> dict[int, str]:
        """What a partner picker shows for the partners ``ids`` ("Name · #12"), in one query."""

        return {p.pk: label(p) for p in self.partners(tenant).filter(pk__in=list(ids)).only("id", "name")}

    def partner_ids_by_membership(self, tenant, membership_ids=None) -> dict[int, int]:
        """membership id -> partner id of partner users (of ``membership_ids`` when given)."""
        links = PartnerUser.objects.for_tenant(tenant)
        if membership_ids is not None:
            links = links.filter(membership_id__in=list(membership_ids))
        return dict(links.values_list("membership_id", "partner_id"))

    def picker_field(self, tenant, **kwargs):
        """A form field that chooses one of the tenant's partners by name (cleans to the partner)."""

        return PartnerPickerField(tenant=tenant, **kwargs)

    def link(self, *, membership, partner_id: int, is_partner_admin: bool = False) -> None:
        """Make the membership a user of the partner (its partner admin with ``is_partner_admin``)."""
        admin = {"is_partner_admin": True} if is_partner_admin else {}
        PartnerUser.objects.for_tenant(membership.tenant_id).update_or_create(
            membership=membership,
            defaults={"partner_id": partner_id, "tenant_id": membership.tenant_id, **admin},
        )

    def unlink(self, *, membership) -> None:
        PartnerUser.objects.for_tenant(membership.tenant_id).filter(membership=membership).delete()
