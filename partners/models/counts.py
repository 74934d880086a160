"""How many partners each tenant has, kept by the database as partners come and go."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class PartnerCount(TenantOwned):
    """The tenant's number of partners, kept exact by statement triggers on the partner table
    (every INSERT and DELETE, the ORM's, an import's or raw SQL's, adds or takes its
    rows in the same transaction; migration 0021).

    The unfiltered partner list reads its ``count`` here instead of counting 100 000 rows on every
    page (``partners.selectors.partner_count``).
    """

    partners = models.BigIntegerField(_("partners"), default=0)

    class Meta:
        verbose_name = _("partner count")
        verbose_name_plural = _("partner counts")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="partner_count_once")]

    def __str__(self):
        return str(self.partners)
