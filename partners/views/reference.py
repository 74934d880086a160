"""The reference lists page: one list at a time, a value added or a file imported (admins)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from partners.choices import ReferenceKind
from partners.forms.partners import PartnersImportForm
from partners.models import ReferenceItem
from partners.reference import lists as reference
from prm.portal.views import PageFormAction, TenantPageMixin, import_page_response
from prm.tenancy.capabilities import Capability


class ReferenceItemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    aliases = forms.CharField(
        label=gettext_lazy("Other spellings"),
        required=False,
        help_text=gettext_lazy("Separated by |, e.g. Nord|Northern"),
    )
    price = forms.DecimalField(
        label=gettext_lazy("List price"), required=False, min_value=0, decimal_places=2
    )
    warranty_months = forms.IntegerField(label=gettext_lazy("Warranty (months)"), required=False, min_value=0)
    service_months = forms.IntegerField(
        label=gettext_lazy("Service interval (months)"), required=False, min_value=0
    )


class ReferenceListView(TenantPageMixin, ListView):
    template_name = "partners/reference.html"
    context_object_name = "items"
    paginate_by = 50

    def kind(self) -> str:
        kind = self.request.GET.get("kind") or self.kwargs.get("kind") or ReferenceKind.REGION
        return kind if kind in ReferenceKind.values else ReferenceKind.REGION

    def get_queryset(self):
        return ReferenceItem.objects.for_tenant(self.tenant).filter(kind=self.kind()).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReferenceItemForm())
        context.setdefault("import_form", PartnersImportForm())
        context.update(
            kind=self.kind(), kinds=ReferenceKind.choices, is_product=self.kind() == ReferenceKind.PRODUCT
        )
        return context

    def success_url(self):
        return reverse("partners:reference", kwargs={"tenant": self.tenant.slug}) + f"?kind={self.kind()}"


class ReferenceAddView(PageFormAction, ReferenceListView):
    capability = Capability.EDIT_PROGRAMME

    def build_form(self, data, files):
        self.object_list = self.get_queryset()
        return ReferenceItemForm(data)

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        reference.reference_save(tenant=self.tenant, actor=self.request.user, kind=self.kind(), **data)
        return _("Added.")


class ReferenceImportView(ReferenceListView):
    capability = Capability.EDIT_PROGRAMME
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        return import_page_response(
            self,
            PartnersImportForm(request.POST, request.FILES),
            lambda upload: reference.reference_import(tenant=self.tenant, actor=request.user, file=upload),
            _("Imported: %(c)d new values, %(u)d already there."),
            success_url=self.success_url(),
        )
