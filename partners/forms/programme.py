"""The programme settings page: every app's section (``prm.programme``), one after the other."""

from django import forms

from prm.programme import programme_sections


class ProgrammeForm(forms.Form):
    """The programme's settings: the fields of every app's section in the apps' order (partners'
    time boxes, protection, selling stages and tiering first, then scorecards', incentives' and
    onboarding's). Each section turns its settings into its fields and its cleaned fields into
    values; the apps validate the values (``partners.programme.settings.programme_save``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        for section in programme_sections():
            own = section.form_fields()
            self.fields.update(own)
            self.sections.append((section, list(own)))

    @classmethod
    def initial_for(cls, tenant) -> dict:
        """The page's initial values: each section's settings of the tenant, as its fields."""
        initial = {}
        for section in programme_sections():
            initial.update(section.initial(section.settings_for(tenant)))
        return initial

    def values(self) -> dict:
        """What to store: each section's values from the cleaned fields (flat names, as in the API)."""
        values = {}
        for section, _names in self.sections:
            values.update(section.values_from(self.cleaned_data))
        return values

    def fieldsets(self) -> list[tuple]:
        """Each section for the page: its key, its title and its bound fields."""
        return [
            (section.key, section.title, [self[name] for name in names]) for section, names in self.sections
        ]
