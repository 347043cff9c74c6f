"""Actions on the panel: panelists, their answers to the invitation, the speaking order.

Each action is one function, atomic, and logged with who did it.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import (
    CURRENT_TURN_STATUSES,
    DECLINE_REASON_MAX_LENGTH,
    Meeting,
    MeetingConcluded,
    Panelist,
    PanelistStatus,
    Round,
    Turn,
)
from meetings.services.audit import log_action
from meetings.services.links import issue_link
from meetings.services.reminders import sync as sync_reminders

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
    "attendance",
)


@transaction.atomic
def add_panelist(meeting: Meeting, *, by, **fields) -> Panelist:
    """A new seat on the panel, last in every round's speaking order, with a personal link."""
    panelist = Panelist(meeting=meeting, **fields)
    panelist.full_clean()
    panelist.save()
    sync_turns(meeting)
    issue_link(panelist, log=False)  # part of "panelist.added"
    log_action(
        meeting,
        "panelist.added",
        actor=by,
        panelist=panelist,
        name=panelist.name,
        mechanism=panelist.mechanism.acronym_en,
    )
    sync_reminders(meeting, by=by)
    return panelist


@transaction.atomic
def update_panelist(panelist: Panelist, *, by, **fields) -> Panelist:
    changed = sorted(name for name, value in fields.items() if getattr(panelist, name) != value)
    was = panelist.status
    if "status" in changed:
        check_status_change(panelist, fields["status"])
    for name, value in fields.items():
        setattr(panelist, name, value)
    panelist.full_clean()
    if "status" in changed:
        panelist.responded_at = timezone.now()
        if panelist.status != PanelistStatus.DECLINED:
            panelist.decline_reason = ""
    panelist.save()
    if "status" in changed and was == PanelistStatus.DECLINED:
        back_in_the_order(panelist)
    if changed:
        log_action(
            panelist.meeting, "panelist.changed", actor=by, panelist=panelist, fields=changed
        )
        sync_reminders(panelist.meeting, by=by)  # their reply or address may have changed
    return panelist


def save_panelist(form, *, by, meeting: Meeting | None = None) -> Panelist:
    """Save a valid panelist form (the secretariat's page, the admin's page of a panelist, a
    row of the admin's panel) through add_panelist for a new seat, on `meeting` (else the
    form's own), or update_panelist. Raises ValidationError as they do."""
    fields = {
        name: form.cleaned_data[name] for name in PANELIST_FIELDS if name in form.cleaned_data
    }
    if form.instance.pk is None:
        return add_panelist(meeting or form.instance.meeting, by=by, **fields)
    stored = Panelist.objects.get(pk=form.instance.pk)  # the form wrote onto its instance
    return update_panelist(stored, by=by, **fields)


def reason_not_to_remove(panelist: Panelist) -> str | None:
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
    """Remove a seat that holds no record yet (see reason_not_to_remove)."""
    reason = reason_not_to_remove(panelist)
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
    sync_reminders(meeting, by=by)


def decline_refused(panelist: Panelist) -> str | None:
    """Why this panelist cannot be marked as declined now (None when they can). A decline
    takes their turns out of the live order and the record: not while they have the floor,
    nor once they have spoken."""
    if panelist.turns.filter(status__in=CURRENT_TURN_STATUSES).exists():
        return _(
            "%(name)s has the floor: end or skip their turn on the console before recording "
            "that they declined."
        ) % {"name": panelist.display_name}
    if panelist.turns.filter(started_at__isnull=False).exists():
        return _(
            "%(name)s has already spoken: the record keeps their turns, so they can no longer "
            "be marked as declined."
        ) % {"name": panelist.display_name}
    return None


def return_refused(panelist: Panelist) -> str | None:
    """Why a panelist who declined cannot take part again (None when they can): a substitute
    now holds their seat."""
    substitute = panelist.substitute
    if substitute is not None:
        return _(
            "%(substitute)s is the substitute for %(name)s and holds their places: mark the "
            "substitute as declined or remove them first."
        ) % {"substitute": substitute.display_name, "name": panelist.display_name}
    return None


def check_status_change(panelist: Panelist, status: str) -> None:
    """Raises ValidationError when the panelist's reply cannot change to `status` now."""
    if status == panelist.status:
        return
    if status == PanelistStatus.DECLINED:
        reason = decline_refused(panelist)
    elif panelist.status == PanelistStatus.DECLINED:
        reason = return_refused(panelist)
    else:
        reason = None
    if reason:
        raise ValidationError(reason)


def back_in_the_order(panelist: Panelist) -> None:
    """A panelist who had declined takes part again: their turns come back into the live
    order where they were (each round numbered afresh, so no two places are the same)."""
    for round_ in panelist.meeting.rounds.all():
        renumber(round_, [turn.panelist_id for turn in speaking_order(round_)])


@transaction.atomic
def respond_to_invitation(
    panelist: Panelist, status: PanelistStatus, *, reason: str = ""
) -> Panelist:
    """The panelist confirms or declines through their personal link; a decline may come
    with a reason, for the secretariat. Raises ValidationError when the reply cannot change
    (see check_status_change)."""
    if status not in (PanelistStatus.CONFIRMED, PanelistStatus.DECLINED):
        raise ValueError(status)
    if panelist.meeting.is_concluded:
        raise MeetingConcluded
    was = panelist.status
    check_status_change(panelist, status)
    panelist.status = status
    panelist.decline_reason = (
        reason.replace("\x00", "").strip()[:DECLINE_REASON_MAX_LENGTH]
        if status == PanelistStatus.DECLINED
        else ""
    )
    panelist.responded_at = timezone.now()
    panelist.save(update_fields=["status", "decline_reason", "responded_at", "updated_at"])
    if was == PanelistStatus.DECLINED and status != PanelistStatus.DECLINED:
        back_in_the_order(panelist)
    log_action(
        panelist.meeting,
        f"panelist.{status}",
        panelist=panelist,
        **({"reason_given": True} if panelist.decline_reason else {}),
    )
    sync_reminders(panelist.meeting)  # who replied is no longer reminded to
    return panelist


SUBSTITUTE_FIELDS = (
    "name",
    "honorific",
    "honorific_other",
    "position",
    "organisation",
    "email",
    "preferred_language",
    "bio",
    "attendance",
)


def substitute_refused(declined: Panelist) -> str | None:
    """Why no substitute can be named for this panelist now (None when one can)."""
    if declined.status != PanelistStatus.DECLINED:
        return _(
            "%(name)s has not declined: a substitute is named for a panelist who declined."
        ) % {"name": declined.display_name}
    holder = declined.substitute
    if holder is not None:
        return _("%(substitute)s is already the substitute for %(name)s.") % {
            "substitute": holder.display_name,
            "name": declined.display_name,
        }
    return None


@transaction.atomic
def name_substitute(declined: Panelist, *, by, **fields) -> Panelist:
    """A new panelist for the seat of one who declined: same mechanism, their places in every
    round (the same positions), a personal link of their own. The one who declined stays on
    the panel, as declined, for the secretariat's record of attendance."""
    declined = Panelist.objects.select_for_update().select_related("meeting").get(pk=declined.pk)
    meeting = declined.meeting
    if meeting.is_concluded:
        raise MeetingConcluded
    refusal = substitute_refused(declined)
    if refusal:
        raise ValidationError(refusal)
    unknown = set(fields) - set(SUBSTITUTE_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    substitute = Panelist(
        meeting=meeting,
        mechanism=declined.mechanism,
        substitute_for=declined,
        status=PanelistStatus.INVITED,
        **fields,
    )
    substitute.full_clean()
    if substitute.is_to_be_confirmed:
        raise ValidationError({"name": _("Give the substitute's name.")})
    substitute.save()
    places = {turn.round_id: turn.position for turn in declined.turns.all()}
    Turn.objects.bulk_create(
        Turn(meeting=meeting, round=round_, panelist=substitute, position=places[round_.pk])
        for round_ in meeting.rounds.all()
        if round_.pk in places
    )
    sync_turns(meeting)  # a round the declined panelist had no turn in: last, as a newcomer
    issue_link(substitute, log=False)  # part of "panelist.substitute_named"
    log_action(
        meeting,
        "panelist.substitute_named",
        actor=by,
        panelist=substitute,
        name=substitute.name,
        substitute_for=declined.pk,
        substitute_for_name=declined.name,
        mechanism=declined.mechanism.acronym_en,
    )
    sync_reminders(meeting, by=by)
    return substitute


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
    """The round's live order (Turn.objects.in_live_order: without who declined)."""
    return list(round_.turns.in_live_order().select_related("panelist__mechanism"))


@transaction.atomic
def set_speaking_order(round_: Round, panelist_ids: Sequence[int], *, by) -> None:
    """The round's live order, every panelist in it once. It changes only turns, which no
    signal sees: the meeting's row is locked first, as the console's actions lock it, and
    its live version raised there."""
    meeting = Meeting.objects.select_for_update().get(pk=round_.meeting_id)
    current = set(round_.turns.in_live_order().values_list("panelist_id", flat=True))
    if len(panelist_ids) != len(set(panelist_ids)) or set(panelist_ids) != current:
        raise ValidationError(_("The speaking order must list every panelist of the round once."))
    renumber(round_, panelist_ids)
    meeting.raise_live_version()
    log_action(meeting, "order.set", actor=by, round=round_.number, order=list(panelist_ids))


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
    """Number the given panelists' turns 1, 2, ... in that order (the turns of panelists who
    declined keep the places they had, out of the live order)."""
    turns = {turn.panelist_id: turn for turn in round_.turns.all()}
    for position, panelist_id in enumerate(panelist_ids, start=1):
        turns[panelist_id].position = position
    Turn.objects.bulk_update([turns[pk] for pk in panelist_ids], ["position"])
