"""The live session: the console, the projector display and live.json.

Every screen polls live.json with If-None-Match (answered from the cache: see
meetings.live.feed) and counts down locally from the remaining time and server time of
the last 200, so a dropped connection neither freezes nor jumps the clock.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.common.formatting import grouped, parse_id
from config.common.requests import parsed
from meetings.domain import clock
from meetings.forms import ConsoleActionForm, ConsoleMessageForm, ConsoleMoveForm, NotesForm
from meetings.live import feed
from meetings.models import (
    MESSAGE_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Meeting,
    MeetingLog,
    QuickMessage,
    RevisedText,
    Round,
    Turn,
    TurnStatus,
)
from meetings.roles import MANAGE_MEETINGS
from meetings.services import live_session, revisions
from meetings.views.access import console_required
from meetings.views.public import public_meeting


def screen_language(request) -> str:
    return feed.screen_language(request, translation.get_language())


@require_safe
def live_json(request, slug):
    """The live feed from the cache (meetings.live.feed): no database query while the
    state is unchanged. The public's requests are answered before they reach this view, by
    meetings.live.middleware.LiveFeedMiddleware; here come drafts, which the secretariat may
    preview, and unknown meetings."""
    entry = feed.current(slug)
    if entry is None or not (entry.public or request.user.has_perm(MANAGE_MEETINGS)):
        raise Http404
    return feed.respond(request, entry, screen_language(request))


@require_safe
def display(request, slug):
    meeting = public_meeting(request, slug)
    language = screen_language(request)
    with translation.override(language):
        return render(
            request,
            "meetings/display.html",
            {
                "meeting": meeting,
                "language": language,
                "overlay": request.GET.get("overlay") == "1",
                "flash": request.GET.get("flash") == "1",
            },
        )


# The console ----------------------------------------------------------------------------------


def console_meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("convening_body"), slug=slug)


def panels_context(meeting: Meeting) -> dict:
    now = timezone.now()
    turns, _agenda, session = live_session.meeting_session(meeting)
    by_id = {turn.clock_id: turn for turn in turns}
    current, following = session.current, session.shown_as_next_speaker()
    allowed = live_session.allowed_actions(meeting, session)
    return {
        "meeting": meeting,
        "message_limit": MESSAGE_MAX_LENGTH,
        "quick_messages": QuickMessage.choices,
        "state": session.state,
        "current": by_id[current.id] if current else None,
        "current_clock": current,
        "next": by_id[following.id] if following else None,
        "rounds": console_rounds(meeting, turns, session),
        "last_finished": last_finished(session),
        "now": now,
        "remaining": current.remaining(now) if current else None,
        **pace_and_forecast(meeting, session, now),
        # The buttons each action would refuse are disabled: the clock says which (and none
        # once the meeting is concluded).
        "can": {action.value: action in allowed for action in clock.Action},
        # The last turn is over: the chair may conclude the meeting (once concluded, the
        # console acts no more, and says who concluded it and when).
        "concluded": meeting.is_concluded,
        "can_conclude": live_session.may_conclude(meeting, session),
        "conclusion": conclusion(meeting),
    }


def console_rounds(meeting: Meeting, turns: list, session: clock.Session) -> list[dict]:
    """Each round with its turns in speaking order (each with its clock), whether it is over
    and whether a skipped turn could be given back by reopening it."""
    states = {turn.id: turn for turn in session.turns}
    by_round: dict[int, list[dict]] = {}
    for turn in turns:  # in speaking order, round by round
        if isinstance(turn, Turn):
            by_round.setdefault(turn.round_id, []).append(
                {"turn": turn, "clock": states[turn.clock_id]}
            )
    rounds = []
    for round_ in meeting.rounds.select_related("agenda_item"):
        item = session.item(round_.agenda_item.position)
        rounds.append(
            {
                "round": round_,
                "entries": by_round.get(round_.pk, []),
                "over": session.item_is_over(item),
                "reopenable": bool(session.skipped_in(item.number)),
            }
        )
    return rounds


def last_finished(session: clock.Session) -> int | None:
    """The turn that finished last. Next pressed too early: that speaker may be given the floor
    back (offered on that one only; a button on every finished turn doubled a long console)."""
    finished = [t for t in session.turns if t.status == clock.TurnStatus.FINISHED and t.ended_at]
    return max(finished, key=lambda turn: turn.ended_at).id if finished else None


def pace_and_forecast(meeting: Meeting, session: clock.Session, now: dt.datetime) -> dict:
    """The forecast end at the current pace, and how it stands against the planned end."""
    forecast = clock.forecast_end(
        session,
        now,
        changeover=meeting.changeover_seconds,
        closing=meeting.closing_minutes * 60,
    )
    pace = clock.pace(session)
    return {
        "forecast": forecast,
        "late_by": forecast - meeting.ends_at,
        "on_time": forecast <= meeting.ends_at,
        "pace": pace,  # the average overrun so far, the forecast's basis
        "pace_under": -pace if pace is not None else None,
        "pace_seconds": round(pace) if pace is not None else None,  # what m:ss would show
        # Run on another day (a rehearsal, a demo), lateness against the run of show means nothing.
        "on_the_day": now.astimezone(meeting.zone).date() == meeting.date,
    }


def conclusion(meeting: Meeting) -> MeetingLog | None:
    """Who concluded the meeting and when (None while it is not concluded)."""
    if not meeting.is_concluded:
        return None
    return (
        MeetingLog.objects.filter(meeting=meeting, action="clock.conclude")
        .select_related("actor")
        .first()
    )


def render_panels(request, meeting: Meeting, status: int = 200, **extra):
    context = panels_context(meeting) | extra
    return render(request, "meetings/console.html#panels", context, status=status)


@console_required
@require_safe
def console(request, slug):
    meeting = console_meeting(slug)
    context = panels_context(meeting)
    current = context["current"]
    context["notes_turn"] = current
    context["notes_limit"] = NOTES_MAX_LENGTH
    if current is not None:
        context["notes_editor"] = revisions.last_editor(current, RevisedText.NOTES)
    return render(request, "meetings/console.html", context)


@console_required
@require_safe
def console_panels(request, slug):
    return render_panels(request, console_meeting(slug))


@console_required
@require_POST
def console_action(request, slug):
    meeting = console_meeting(slug)
    values = parsed(ConsoleActionForm, request.POST).cleaned_data
    action = values["action"]
    arguments = {}
    if action in ("skip", "give_floor"):
        arguments["turn_id"] = ConsoleActionForm.speaker_id(values)
    if action in live_session.ROUND_ACTIONS:
        arguments["round_number"] = values["round"]
    if action in live_session.ITEM_ACTIONS:
        arguments["item"] = values["item"]
    try:
        if action == "conclude":
            meeting = live_session.conclude(
                meeting, by=request.user, expected_version=values["version"]
            )
        else:
            meeting = live_session.perform(
                meeting,
                action,
                by=request.user,
                expected_version=values["version"],
                **arguments,
            )
    except live_session.StaleVersion:
        messages.warning(
            request, _("Another console acted first: here is the meeting as it is now.")
        )
        meeting = console_meeting(slug)  # as it is now, not as this request first read it
    except clock.NotAllowed:
        messages.warning(request, _("That is not possible right now."))
    return render_panels(request, meeting)


@console_required
@require_POST
def console_message(request, slug):
    meeting = console_meeting(slug)
    values = parsed(ConsoleMessageForm, request.POST).cleaned_data
    text, quick = values["message"], values["quick"] or None
    try:
        if quick is not None:  # a quick button: its key, said in each screen's language
            meeting = live_session.set_quick_message(meeting, quick, by=request.user)
        else:
            meeting = live_session.set_message(meeting, text, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return render_panels(request, meeting, message_draft=text.replace("\x00", ""))
    return render_panels(request, meeting)


@console_required
@require_POST
def console_reorder(request, slug):
    meeting = console_meeting(slug)
    values = parsed(ConsoleMoveForm, request.POST).cleaned_data
    round_ = get_object_or_404(Round, meeting=meeting, number=values["round"])
    panelist_id, offset = values["panelist"], values["offset"]
    waiting = Turn.objects.in_live_order().filter(
        round=round_, panelist_id=panelist_id, status=TurnStatus.PENDING
    )
    if not waiting.exists():
        messages.warning(request, _("Only a speaker still waiting can be moved."))
    else:
        meeting = live_session.reorder(meeting, round_, panelist_id, offset, by=request.user)
    return render_panels(request, meeting)


@console_required
@require_http_methods(["GET", "HEAD", "POST"])
def console_notes(request, slug):
    meeting = console_meeting(slug)
    if request.method == "POST":
        values = parsed(NotesForm, request.POST).cleaned_data
        turn_id = values["turn"]
    else:
        turn_id = parse_id(request.GET.get("turn"))
    if turn_id is None:
        raise Http404
    turn = get_object_or_404(
        Turn.objects.select_related("round", "panelist__mechanism"), pk=turn_id, meeting=meeting
    )
    context = {"meeting": meeting, "notes_turn": turn, "notes_limit": NOTES_MAX_LENGTH}
    if request.method in ("GET", "HEAD"):
        context["notes_editor"] = revisions.last_editor(turn, RevisedText.NOTES)
        return render(request, "meetings/console.html#notes", context)

    text = values["notes"]
    if len(text) > NOTES_MAX_LENGTH:
        context["notes_error"] = _(
            "Notes hold at most %(limit)s characters; these have %(length)s. Nothing was saved."
        ) % {"limit": grouped(NOTES_MAX_LENGTH), "length": grouped(len(text))}
        context["notes_version"] = values["notes_version"]
        return render(request, "meetings/console.html#notes_status", context)
    saved = revisions.save_text(
        turn,
        RevisedText.NOTES,
        text,
        base_version=values["notes_version"],
        by=request.user,
    )
    context.update(
        notes_turn=saved.turn,
        notes_conflict=saved.conflict,
        notes_editor=revisions.last_editor(saved.turn, RevisedText.NOTES),
        notes_version=saved.turn.notes_version,
    )
    return render(request, "meetings/console.html#notes_status", context)
