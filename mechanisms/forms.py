from django import forms
from django.utils.translation import gettext_lazy as _

from mechanisms.models import MechanismKind, MechanismStatus


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *MechanismKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *MechanismStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filter(self, mechanisms):
        """The mechanisms that match; an invalid choice filters nothing out."""
        if not self.is_valid():
            return mechanisms
        data = self.cleaned_data
        mechanisms = mechanisms.search(data["q"])
        if data["kind"]:
            mechanisms = mechanisms.filter(kind=data["kind"])
        if data["status"]:
            mechanisms = mechanisms.filter(status=data["status"])
        return mechanisms
