"""Two people editing the same record: the second save is told, nothing is overwritten.

Used by the secretariat's forms and by every editable model in Django admin. A form carries
the version of the record it was loaded from; saving compares it with the stored one.
"""

import hashlib
import json

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def stored_version(instance) -> str:
    """The stored record's version: its `updated_at` where the model keeps one, else a digest
    of the stored values of its columns (so any model can be checked)."""
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        stamp = rows.values_list("updated_at", flat=True).first()
        return stamp.isoformat() if stamp else ""
    columns = [field.attname for field in model._meta.concrete_fields]
    values = rows.values_list(*columns).first()
    if values is None:
        return ""
    encoded = json.dumps(values, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


class ConflictCheckedForm(forms.ModelForm):
    """The second of two concurrent saves is refused with a message, their input kept in the
    form, and saving again (having seen the other's changes) goes through."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whatever comes back in this hidden field is only compared: a mangled value is a
        # conflict said in words (clean), never a silent error on a field nobody sees.
        self.fields["loaded_version"].validators = []
        if self.instance.pk:
            self.fields["loaded_version"].initial = stored_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = stored_version(self.instance)
            if self.data.get(self.add_prefix("loaded_version")) != current:
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = current
                raise forms.ValidationError(
                    _(
                        "Someone else saved this record while you were editing it. Your "
                        "changes are still in the form and nothing was overwritten: check the "
                        "record, then save again to keep yours."
                    ),
                    code="conflict",
                )
        return cleaned


class ConflictCheckedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change form refuses a save over someone else's."""

    form = ConflictCheckedForm

    def get_fieldsets(self, request, obj=None):
        """The hidden version goes with a record that this user may change; a new record
        has none, and a page to view only must not show it as a field."""
        fieldsets = [
            (name, {**options, "fields": without_version(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        first = {**options, "fields": [*options["fields"], "loaded_version"]}
        return [(name, first), *rest]


def without_version(fields):
    """A fieldset's fields (names, or tuples of names on one line) without loaded_version."""
    kept = []
    for field in fields:
        if isinstance(field, list | tuple):
            line = [name for name in field if name != "loaded_version"]
            if line:
                kept.append(tuple(line))
        elif field != "loaded_version":
            kept.append(field)
    return kept
