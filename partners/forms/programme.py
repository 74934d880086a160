"""The programme settings page: every app's section (``prm.programme``), each its own form."""

from django import forms
from django.urls import NoReverseMatch, reverse

from prm.programme import ProgrammeSection, programme_sections


class SectionForm(forms.Form):
    """One app's section of the programme page, saved on its own: its fields in its order (each
    with ``used_by``, the ``(label, url)`` of the pages that use it, shown under the field by
    ``includes/form.html``). The section turns its settings into its fields and its cleaned fields
    into values; the app validates the values (``partners.programme.settings.programme_save``)."""

    def __init__(self, section: ProgrammeSection, *args, tenant_slug: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields.update(section.form_fields())
        for name, field in self.fields.items():
            field.used_by = [_page(url, tenant_slug, label) for label, url in section.used_for(name)]

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self):
        return self.section.title

    @staticmethod
    def initial_for(section: ProgrammeSection, tenant) -> dict:
        """The section's initial values: its settings of the tenant, as its fields."""
        return section.initial(section.settings_for(tenant))

    def values(self) -> dict:
        """What to store: the section's values from its cleaned fields (flat names, as in the API)."""
        return self.section.values_from(self.cleaned_data)


def _page(url_name: str, tenant_slug: str, label) -> tuple:
    try:
        return label, reverse(url_name, kwargs={"tenant": tenant_slug})
    except NoReverseMatch:  # an app not mounted here: the label alone
        return label, ""


def section_forms(tenant, *, bound: SectionForm | None = None) -> list[SectionForm]:
    """Every section's form with the tenant's settings, in the apps' order; ``bound`` (a posted
    section's form, with its errors) in its section's place."""
    return [
        bound
        if bound is not None and bound.key == section.key
        else SectionForm(section, initial=SectionForm.initial_for(section, tenant), tenant_slug=tenant.slug)
        for section in programme_sections()
    ]


def programme_initial(tenant) -> dict:
    """Every section's initial values together (flat field names)."""
    initial = {}
    for section in programme_sections():
        initial.update(SectionForm.initial_for(section, tenant))
    return initial
