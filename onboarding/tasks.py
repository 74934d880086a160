"""Background work of onboarding/: the daily review of certifications."""

from celery import shared_task

from prm.tenancy.fanout import for_each_tenant

from .services.training import certifications_review


@shared_task(name="onboarding.certifications")
def certifications():
    """Beat, daily: remind partners of required training about to expire; un-certify where it has."""
    return for_each_tenant("onboarding.certifications", lambda tenant: certifications_review(tenant=tenant))
