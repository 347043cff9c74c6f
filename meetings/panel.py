"""Actions on the panel: panelists, their answers to the invitation, the speaking order.

Each action is one function, atomic, and logged with who did it.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.audit import log_action
from meetings.links import issue_link
from meetings.models import Meeting, MeetingConcluded, Panelist, PanelistStatus, Round, Turn

PANELIST_FIELDS = (
    "mechanism",
    "name",
    "honorific",
    "honorific_other",
    "position",
    "organisation",
    "email",
    "preferred_language",
    "bio",
    "status",
)


@transaction.atomic
def add_panelist(meeting: Meeting, *, by, **fields) -> Panelist:
    """A new seat on the panel, last in every round's speaking order, with a personal link."""
    panelist = Panelist(meeting=meeting, **fields)
    panelist.full_clean()
    panelist.save()
    sync_turns(meeting)
    issue_link(panelist, log=False)  # part of "panelist.added"
    meeting.touch_live()
    log_action(
        meeting,
        "panelist.added",
        actor=by,
        panelist=panelist,
        name=panelist.name,
        mechanism=panelist.mechanism.acronym_en,
    )
    return panelist


@transaction.atomic
def update_panelist(panelist: Panelist, *, by, **fields) -> Panelist:
    changed = sorted(name for name, value in fields.items() if getattr(panelist, name) != value)
    for name, value in fields.items():
        setattr(panelist, name, value)
    panelist.full_clean()
    if "status" in changed:
        panelist.responded_at = timezone.now()
    panelist.save()
    if changed:
        panelist.meeting.touch_live()
        log_action(
            panelist.meeting, "panelist.changed", actor=by, panelist=panelist, fields=changed
        )
    return panelist


def record_kept_by(panelist: Panelist) -> str | None:
    """Why removing this panelist would lose the meeting's record (None when nothing would):
    removing a seat deletes its turns, with their times, notes and summaries, and its answers."""
    in_the_record = (
        Q(started_at__isnull=False)
        | ~Q(notes="")
        | ~Q(summary="")
        | Q(revisions__isnull=False)  # notes or a summary once written, even if cleared since
        | Q(coordination__isnull=False)
    )
    if panelist.turns.filter(in_the_record).exists():
        return _(
            "%(name)s has already spoken or has notes in the record: removing them would "
            "delete that record. Mark them as declined instead."
        ) % {"name": panelist.display_name}
    if panelist.answers.filter(~Q(draft_text="") | ~Q(submitted_text="")).exists():
        return _(
            "%(name)s has written an answer: removing them would delete it. Mark them as "
            "declined instead."
        ) % {"name": panelist.display_name}
    return None


@transaction.atomic
def remove_panelist(panelist: Panelist, *, by) -> None:
    """Remove a seat that holds no record yet (see record_kept_by)."""
    reason = record_kept_by(panelist)
    if reason:
        raise ValidationError(reason)
    meeting = panelist.meeting
    log_action(
        meeting,
        "panelist.removed",
        actor=by,
        name=panelist.name,
        mechanism=panelist.mechanism.acronym_en,
    )
    panelist.delete()
    for round_ in meeting.rounds.all():
        renumber(round_, list(round_.turns.values_list("panelist_id", flat=True)))
    meeting.touch_live()


@transaction.atomic
def respond_to_invitation(panelist: Panelist, status: PanelistStatus) -> Panelist:
    """The panelist confirms or declines through their personal link."""
    if status not in (PanelistStatus.CONFIRMED, PanelistStatus.DECLINED):
        raise ValueError(status)
    if panelist.meeting.is_concluded:
        raise MeetingConcluded
    panelist.status = status
    panelist.responded_at = timezone.now()
    panelist.save(update_fields=["status", "responded_at", "updated_at"])
    log_action(panelist.meeting, f"panelist.{status}", panelist=panelist)
    return panelist


def sync_turns(meeting: Meeting) -> None:
    """Every panelist has a turn in every round; newcomers speak last."""
    for round_ in meeting.rounds.all():
        present = set(round_.turns.values_list("panelist_id", flat=True))
        last = round_.turns.aggregate(last=Max("position"))["last"] or 0
        missing = meeting.panelists.exclude(pk__in=present).order_by("mechanism__position", "pk")
        Turn.objects.bulk_create(
            Turn(meeting=meeting, round=round_, panelist=panelist, position=last + offset)
            for offset, panelist in enumerate(missing, start=1)
        )


def speaking_order(round_: Round) -> list[Turn]:
    return list(round_.turns.select_related("panelist__mechanism").order_by("position", "pk"))


@transaction.atomic
def set_speaking_order(round_: Round, panelist_ids: Sequence[int], *, by) -> None:
    current = set(round_.turns.values_list("panelist_id", flat=True))
    if len(panelist_ids) != len(set(panelist_ids)) or set(panelist_ids) != current:
        raise ValidationError(_("The speaking order must list every panelist of the round once."))
    renumber(round_, panelist_ids)
    round_.meeting.touch_live()
    log_action(round_.meeting, "order.set", actor=by, round=round_.number, order=list(panelist_ids))


@transaction.atomic
def move_in_speaking_order(round_: Round, panelist_id: int, offset: int, *, by) -> None:
    """Move one speaker up (negative offset) or down; the keyboard alternative to dragging."""
    order = [turn.panelist_id for turn in speaking_order(round_)]
    if panelist_id not in order:
        raise ValidationError(_("This panelist does not speak in this round."))
    index = order.index(panelist_id)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    set_speaking_order(round_, order, by=by)


@transaction.atomic
def copy_speaking_order(source: Round, target: Round, *, reverse: bool = False, by) -> None:
    """Round 2 in the same order as round 1, or the reverse of it."""
    sync_turns(target.meeting)
    order = [turn.panelist_id for turn in speaking_order(source)]
    if reverse:
        order.reverse()
    set_speaking_order(target, order, by=by)


def renumber(round_: Round, panelist_ids: Sequence[int]) -> None:
    turns = {turn.panelist_id: turn for turn in round_.turns.all()}
    for position, panelist_id in enumerate(panelist_ids, start=1):
        turns[panelist_id].position = position
    Turn.objects.bulk_update(turns.values(), ["position"])
