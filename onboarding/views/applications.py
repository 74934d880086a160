"""The applications received from the public page, for the vendor's staff: newest first, the
answers off the tenant's lists flagged, each settled by picking a listed value or (those who keep
the lists) adding the candidate's own to the list in one click."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from partners.reference.vocabularies import Vocabulary
from prm.portal.views import PageAction, TenantPageMixin
from prm.tenancy.capabilities import Capability, allows

from ..models import Application
from ..services.application_review import application_review
from ..services.applications import REVIEWED_FIELDS


class ApplicationListView(TenantPageMixin, ListView):
    """Every application, newest first; ``?unlisted=1`` only those with answers to settle."""

    template_name = "onboarding/applications.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        queryset = (
            Application.objects.for_tenant(self.tenant)
            .select_related("partner")
            .order_by("-created_at", "-id")
        )
        if self.request.GET.get("unlisted"):
            queryset = queryset.exclude(unlisted=[])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vocabulary = Vocabulary(self.tenant)
        lists = {
            name: [v for v, _label in vocabulary.choices(kind)] for name, kind in REVIEWED_FIELDS.items()
        }
        for application in context["applications"]:
            application.to_review = [
                (name, getattr(application, name), lists[name]) for name in application.unlisted
            ]
        context.update(
            can_review=allows(self.access.role, Capability.WORK_PIPELINE),
            can_add_to_list=allows(self.access.role, Capability.EDIT_PROGRAMME),
            waiting=Application.objects.for_tenant(self.tenant).exclude(unlisted=[]).count(),
        )
        return context


class ApplicationReviewView(PageAction):
    """POST ``field`` with ``value`` (a listed value) or ``add_to_list`` (the candidate's text)."""

    model = Application
    capability = Capability.WORK_PIPELINE

    def perform(self, request):
        application = get_object_or_404(Application.objects.for_tenant(self.tenant), pk=self.kwargs["pk"])
        add_to_list = bool(request.POST.get("add_to_list"))
        if add_to_list and not allows(self.access.role, Capability.EDIT_PROGRAMME):
            raise ValidationError(_("Only those who keep the programme's lists may add to them."))
        field = request.POST.get("field", "")
        application_review(
            application=application,
            actor=request.user,
            field=field,
            value=request.POST.get("value", ""),
            add_to_list=add_to_list,
        )
        return _("%(company)s: %(field)s settled.") % {
            "company": application.company,
            "field": REVIEWED_FIELDS[field].label.lower() if field in REVIEWED_FIELDS else field,
        }

    def success_url(self):
        return reverse("onboarding:applications", kwargs={"tenant": self.tenant.slug})
