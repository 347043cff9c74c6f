"""Two people editing the same record: the second save is told, nothing is overwritten.

Used by the secretariat's forms and by every editable model in Django admin. A form carries
the version of the record it was loaded from; saving compares it with the stored one.

The comparison is made under a lock on the row, inside the transaction that saves it (the
view's or the admin's): of many saves of one version at the same instant, the first to take
the lock saves and commits, and each of the others then reads the new version and is refused.
Compared without the lock, all of them passed and each overwrote the one before.

Rows are locked in one order, parents first (a model's LOCKED_AFTER names them: a panelist
or a round after its meeting), so that two saves never wait for each other's rows.
"""

import hashlib
import json

from django import forms
from django.contrib import admin
from django.db import router, transaction
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext_lazy as _


def lock_parents(instance) -> None:
    """Lock the rows this one is locked after (its model's LOCKED_AFTER, each parent's own
    parents first), as a save of a part of the meeting does before it writes: FOR NO KEY
    UPDATE, which other such saves wait for and new rows pointing at the parent do not."""
    model = type(instance)
    for name in getattr(model, "LOCKED_AFTER", ()):
        field = model._meta.get_field(name)
        parent_pk = getattr(instance, field.attname)
        if parent_pk is None:
            continue
        parents = field.related_model._default_manager.filter(pk=parent_pk)
        if getattr(field.related_model, "LOCKED_AFTER", ()):
            grandparent = parents.first()
            if grandparent is not None:
                lock_parents(grandparent)
        list(parents.select_for_update(no_key=True).values_list("pk", flat=True))


def locked_version(instance) -> str:
    """The stored version, read under a lock on the row (its parents locked first) that holds
    until the transaction saving the form ends. Outside a transaction the lock would end
    with the read: that is a mistake of the caller, said at once rather than raced."""
    model = type(instance)
    if not transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        raise TransactionManagementError(
            f"The conflict check of a {model.__name__} must run inside the transaction that "
            "saves it (transaction.atomic around is_valid() and save())."
        )
    lock_parents(instance)
    return stored_version(instance, lock=True)


def stored_version(instance, *, lock: bool = False) -> str:
    """The stored record's version: its `updated_at` where the model keeps one, else a digest
    of the stored values of its columns (so any model can be checked). With `lock`, the row
    is read FOR NO KEY UPDATE (see locked_version)."""
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update(no_key=True)
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
            current = locked_version(self.instance)
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
