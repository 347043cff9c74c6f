"""The agenda as the secretariat builds it: items added, edited, moved and removed, and the
named speakers of a remarks item.

Positions stay 1, 2, 3... with no gap and no repeat: the screens and the record number the
items by them. A question round's item comes and goes with its round (save_meeting,
save_round): it may be moved here, never removed. Every action locks the meeting's row, as
the console's do, so that two pages moving items at once keep the positions whole; the rows
saved raise the live version through meetings.live.signals, a move (written in bulk) in the
locked row.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from meetings.models import (
    AgendaItem,
    Intervention,
    ItemKind,
    Meeting,
    TurnStatus,
)
from meetings.services.audit import log_action

ITEM_FIELDS = (*get_translation_fields("title"), "speaking_seconds", "planned_minutes")
SPEAKER_FIELDS = (*get_translation_fields("speaker"), "speaker_name", "attendance")
# The kinds the secretariat adds here: a round is added with its question on the meeting's page.
ADDED_KINDS = (ItemKind.REMARKS, ItemKind.DIALOGUE, ItemKind.OTHER)


def locked(meeting_id: int) -> Meeting:
    """The meeting's row, locked until the transaction ends; refused once it is concluded (its
    agenda is part of the record)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.is_concluded:
        raise ValidationError(_("The meeting is concluded: its agenda can no longer change."))
    return meeting


def check_fields(given, allowed) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise ValueError(sorted(unknown))


def fit_to_kind(item: AgendaItem) -> None:
    """A break has no speakers, so no speaking time; every other item needs its title."""
    if item.kind == ItemKind.OTHER:
        item.speaking_seconds = None
    if not (item.title_en or "").strip():
        raise ValidationError({"title_en": _("Give the item a title (in English at least).")})


# Items ----------------------------------------------------------------------------------------


@transaction.atomic
def add_item(meeting: Meeting, *, by, kind: str, **fields) -> AgendaItem:
    """A new item at the end of the agenda. Raises ValidationError for a round (added with its
    question on the meeting's page), a missing title or a value out of bounds."""
    check_fields(fields, ITEM_FIELDS)
    meeting = locked(meeting.pk)
    if kind not in ADDED_KINDS:
        raise ValidationError({"kind": _("A question round is added on the meeting's page.")})
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, kind=kind, **fields)
    fit_to_kind(item)
    item.full_clean(exclude=["round"])
    item.save()
    log_action(meeting, "agenda.item_added", actor=by, item=item.position, kind=kind)
    return item


@transaction.atomic
def update_item(item: AgendaItem, *, by, **fields) -> AgendaItem:
    """Change an item's titles and times. A round's are its round's, changed on the meeting's
    page: ValidationError."""
    check_fields(fields, ITEM_FIELDS)
    meeting = locked(item.meeting_id)
    item = AgendaItem.objects.get(pk=item.pk)
    if item.kind == ItemKind.ROUND:
        raise ValidationError(_("A round's title and time are changed on the meeting's page."))
    changed = sorted(name for name, value in fields.items() if getattr(item, name) != value)
    for name, value in fields.items():
        setattr(item, name, value)
    fit_to_kind(item)
    item.full_clean(exclude=["round"])
    item.save()
    log_action(meeting, "agenda.item_changed", actor=by, item=item.position, fields=changed)
    return item


@transaction.atomic
def move_item(item: AgendaItem, offset: int, *, by) -> AgendaItem:
    """Swap the item with the one above (offset -1) or below (+1). A round's item moves like
    any other. Raises ValidationError at either end of the agenda."""
    if offset not in (-1, 1):
        raise ValueError(offset)
    meeting = locked(item.meeting_id)
    item = AgendaItem.objects.get(pk=item.pk)
    neighbour = AgendaItem.objects.filter(meeting=meeting, position=item.position + offset).first()
    if neighbour is None:
        raise ValidationError(_("This item cannot move further."))
    swap_positions(AgendaItem.objects, item, neighbour)
    meeting.raise_live_version()  # written in bulk: no signal sees it
    log_action(meeting, "agenda.item_moved", actor=by, item=item.position, to=neighbour.position)
    item.position = neighbour.position
    return item


def swap_positions(manager, first, second) -> None:
    """Exchange two rows' positions through a free one: positions are unique at every step."""
    free = (manager.filter(**scope_of(first)).aggregate(last=Max("position"))["last"] or 0) + 1
    manager.filter(pk=first.pk).update(position=free)
    manager.filter(pk=second.pk).update(position=first.position)
    manager.filter(pk=first.pk).update(position=second.position)


def scope_of(row) -> dict:
    """Where a row's position is unique: an item in its meeting, a speaker in its item."""
    if isinstance(row, AgendaItem):
        return {"meeting": row.meeting_id}
    return {"item": row.item_id}


def removal_refused(item: AgendaItem) -> str | None:
    """Why the item may not be removed here, or None."""
    if item.kind == ItemKind.ROUND:
        return _("A round is removed on the meeting's page, with its question.")
    spoken = (each.status != TurnStatus.PENDING for each in item.interventions.all())
    if item.is_closed or any(spoken):  # read from the page's prefetch where it made one
        return _("This item has been held: it stays in the record.")
    return None


@transaction.atomic
def remove_item(item: AgendaItem, *, by) -> None:
    """Remove an item that no one has spoken in yet (its waiting speakers with it); the items
    after it move up. Raises ValidationError for a round or an item held."""
    meeting = locked(item.meeting_id)
    item = AgendaItem.objects.get(pk=item.pk)
    refusal = removal_refused(item)
    if refusal:
        raise ValidationError(refusal)
    position = item.position
    item.delete()
    close_gaps(meeting)
    log_action(meeting, "agenda.item_removed", actor=by, item=position, kind=item.kind)


def close_gaps(meeting: Meeting) -> None:
    """Number the items 1, 2, 3... again in their order, after a removal (a round removed with
    its item included). Each moves up, the first first: positions stay unique at every step."""
    items = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    for number, (pk, position) in enumerate(items.values_list("pk", "position"), start=1):
        if position != number:
            AgendaItem.objects.filter(pk=pk).update(position=number)


# A remarks item's speakers ---------------------------------------------------------------------


def remarks_item(item: AgendaItem) -> AgendaItem:
    item = AgendaItem.objects.get(pk=item.pk)
    if item.kind != ItemKind.REMARKS:
        raise ValidationError(_("Only a remarks item has named speakers."))
    return item


def named_speaker(speaker: Intervention) -> Intervention:
    speaker = Intervention.objects.select_related("item").get(pk=speaker.pk)
    if speaker.delegation_id is not None or speaker.item.kind != ItemKind.REMARKS:
        raise ValidationError(_("Only a remarks item's named speakers are edited here."))
    return speaker


def check_speaker(speaker: Intervention) -> None:
    if not (speaker.speaker_en or "").strip():
        raise ValidationError({"speaker_en": _("Say who speaks (in English at least).")})
    speaker.full_clean(exclude=["meeting", "item", "delegation"])


@transaction.atomic
def add_speaker(item: AgendaItem, *, by, **fields) -> Intervention:
    """A named speaker (the Chair of the CAM...) at the end of a remarks item."""
    check_fields(fields, SPEAKER_FIELDS)
    meeting = locked(item.meeting_id)
    item = remarks_item(item)
    last = item.interventions.aggregate(last=Max("position"))["last"] or 0
    speaker = Intervention(meeting=meeting, item=item, position=last + 1, **fields)
    check_speaker(speaker)
    speaker.save()
    log_action(meeting, "agenda.speaker_added", actor=by, item=item.position, speaker=speaker.pk)
    return speaker


@transaction.atomic
def update_speaker(speaker: Intervention, *, by, **fields) -> Intervention:
    """Who a named speaker is, their name, in the room or online."""
    check_fields(fields, SPEAKER_FIELDS)
    meeting = locked(speaker.meeting_id)
    speaker = named_speaker(speaker)
    changed = sorted(name for name, value in fields.items() if getattr(speaker, name) != value)
    for name, value in fields.items():
        setattr(speaker, name, value)
    check_speaker(speaker)
    speaker.save()
    log_action(
        meeting,
        "agenda.speaker_changed",
        actor=by,
        item=speaker.item.position,
        speaker=speaker.pk,
        fields=changed,
    )
    return speaker


@transaction.atomic
def move_speaker(speaker: Intervention, offset: int, *, by) -> Intervention:
    """Swap a named speaker with the one before (-1) or after (+1) in their item."""
    if offset not in (-1, 1):
        raise ValueError(offset)
    meeting = locked(speaker.meeting_id)
    speaker = named_speaker(speaker)
    ordered = list(speaker.item.interventions.order_by("position"))
    index = next(i for i, each in enumerate(ordered) if each.pk == speaker.pk) + offset
    if not 0 <= index < len(ordered):
        raise ValidationError(_("This speaker cannot move further."))
    swap_positions(Intervention.objects, speaker, ordered[index])
    meeting.raise_live_version()  # written in bulk: no signal sees it
    log_action(
        meeting, "agenda.speaker_moved", actor=by, item=speaker.item.position, speaker=speaker.pk
    )
    return speaker


@transaction.atomic
def remove_speaker(speaker: Intervention, *, by) -> None:
    """Take a named speaker off the item, unless they have had the floor (the record keeps
    them)."""
    meeting = locked(speaker.meeting_id)
    speaker = named_speaker(speaker)
    if speaker.status != TurnStatus.PENDING:
        raise ValidationError(_("This speaker has had the floor: they stay in the record."))
    pk = speaker.pk
    speaker.delete()
    log_action(meeting, "agenda.speaker_removed", actor=by, item=speaker.item.position, speaker=pk)
