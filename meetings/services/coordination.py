"""Which other mechanisms an answer proposes to coordinate with, as the record keeps it.

Two people mark them: the panelist, ticking boxes beside their answer in the portal, and the
secretariat, with the summary of the turn. Neither undoes the other's marks unseen: a
panelist's ticks are merged into what is saved (meetings.domain.coordination.merged_choice),
and a summary's form that would replace marks it never showed is refused.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from config.common.conflicts import lock_parents
from mechanisms.models import Mechanism
from meetings.domain.coordination import merged_choice
from meetings.models import Panelist, RevisedText, Round, TextRevision, Turn
from meetings.services import revisions


def propose(turn: Turn, chosen: Iterable[int]) -> None:
    """Mark these mechanisms (never the panelist's own) as those the turn's answer proposes
    to coordinate with, in place of those marked before."""
    turn.coordination.set(
        Mechanism.objects.filter(pk__in=set(chosen)).exclude(pk=turn.panelist.mechanism_id)
    )


def marked(turn: Turn) -> set[int]:
    return set(turn.coordination.values_list("pk", flat=True))


@transaction.atomic
def panelist_ticks(
    panelist: Panelist, round_: Round, ticked: set[int], *, seen: set[int] | None
) -> bool:
    """The panelist's ticks beside their answer to this round, merged into what is saved
    (the secretariat may have marked some meanwhile): only what they ticked or unticked since
    their page showed `seen` changes. A page that does not say what it showed (None) sets
    its ticks as they are. False, changing nothing, when they have no turn in the round."""
    turn = Turn.objects.filter(panelist=panelist, round=round_).select_related("panelist").first()
    if turn is None:
        return False
    propose(turn, ticked if seen is None else merged_choice(marked(turn), seen, ticked))
    return True


@dataclass(frozen=True)
class SummarySaved:
    turn: Turn
    conflict: TextRevision | None = None  # the summary kept aside: someone saved one first
    marked_meanwhile: bool = False  # the marks changed since the form showed them


@transaction.atomic
def save_summary(
    turn: Turn,
    text: str,
    *,
    base_version: int,
    chosen: set[int],
    seen: set[int] | None,
    by,
) -> SummarySaved:
    """The secretariat's summary of a turn, written on top of `base_version`, and the
    mechanisms it marks, saved together or not at all.

    Nothing is applied when the marks changed since the form showed `seen` (the panelist may
    tick boxes in the portal meanwhile) and the form would replace them: `marked_meanwhile`.
    A form that does not say what it showed (None) is not checked, as a request without an
    ETag. Nothing is applied either when the summary conflicts (revisions.save_text)."""
    lock_parents(turn)  # the meeting first, as every save of a part of it
    turn = Turn.objects.select_for_update(of=("self",)).select_related("panelist").get(pk=turn.pk)
    now = marked(turn)
    if seen is not None and seen != now and chosen != now:
        return SummarySaved(turn, marked_meanwhile=True)
    saved = revisions.save_text(turn, RevisedText.SUMMARY, text, base_version=base_version, by=by)
    if saved.conflict:
        return SummarySaved(saved.turn, conflict=saved.conflict)
    propose(saved.turn, chosen)
    return SummarySaved(saved.turn)
