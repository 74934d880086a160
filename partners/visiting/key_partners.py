"""Key partners: a senior-leadership meeting with its agreed points before *signed* (a stage gate).

The programme decides whether it is required (``key_partner_meeting``); a partner is key when its
manager marks it (``Partner.key_partner``). The meeting is a visit of kind ``leadership`` whose
agreed points are recorded.
"""

from django.utils.translation import gettext as _

from partners.choices import VisitKind
from partners.lifecycle.gates import Unmet
from partners.models import Visit
from partners.visiting.settings import visits_programme_for


def leadership_meetings(partner):
    """The partner's senior-leadership meetings with agreed points, newest first."""
    return (
        Visit.objects.for_tenant(partner.tenant_id)
        .filter(partner=partner, kind=VisitKind.LEADERSHIP)
        .exclude(agreed_points="")
        .order_by("-date", "-id")
    )


def needs_leadership_meeting(partner, **context):
    if not partner.key_partner or not visits_programme_for(partner.tenant).key_partner_meeting:
        return None
    if not leadership_meetings(partner).exists():
        return Unmet(
            _("A key partner is signed after a senior-leadership meeting with its agreed points recorded."),
            "leadership_meeting",
        )
    return None
