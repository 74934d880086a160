"""What recognition's webhook events carry: the award as ``awards/{id}/`` shows it. Services call this;
they never import the API's serializers themselves."""

from __future__ import annotations

from .api.serializers import AwardSerializer
from .models import Award


def award_payload(award) -> dict:
    """One award as the API shows it."""
    award = (
        Award.objects.for_tenant(award.tenant_id)
        .select_related("category", "partner", "person__membership__user")
        .get(pk=award.pk)
    )
    return dict(AwardSerializer(award).data)
