"""The live session: the console, the projector display and live.json.

Every screen holds a stream of the live state (meetings.live.events), or polls live.json
with If-None-Match (answered from the cache: see meetings.live.feed), and counts down locally
from the remaining time and server time of the last state it received, so a dropped
connection neither freezes nor jumps the clock.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.common import fragments, shared_cache
from config.common.formatting import grouped, parse_id
from config.common.requests import parsed
from meetings.domain import clock
from meetings.forms import (
    ConsoleActionForm,
    ConsoleFloorForm,
    ConsoleMessageForm,
    ConsoleMoveForm,
    NotesForm,
)
from meetings.live import feed
from meetings.models import (
    MESSAGE_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    AgendaItem,
    Attendance,
    Intervention,
    ItemKind,
    Meeting,
    MeetingLog,
    QuickMessage,
    RevisedText,
    Round,
    Turn,
    TurnStatus,
)
from meetings.roles import MANAGE_MEETINGS
from meetings.services import floor, live_session, revisions
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
def live_events_elsewhere(request, slug):
    """The streams are served under ASGI (config/asgi.py routes them before Django): a request
    here reached the WSGI server, which holds none: not found here (nothing is broken), and its
    screen polls live.json instead."""
    return HttpResponse(
        "Live events are served by the ASGI server (README, Production).",
        status=404,
        content_type="text/plain; charset=utf-8",
    )


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
    turns, agenda, session = live_session.kept_session(meeting)
    by_id = {turn.clock_id: turn for turn in turns}
    current, following = session.current, session.shown_as_next_speaker()
    allowed = live_session.allowed_actions(meeting, session)
    under_way = session.current_item
    items = {item.position: item for item in agenda}
    return {
        "meeting": meeting,
        "message_limit": MESSAGE_MAX_LENGTH,
        "quick_messages": QuickMessage.choices,
        "state": session.state,
        "current": speaker_entry(by_id[current.id], current) if current else None,
        "current_clock": current,
        "next": speaker_entry(by_id[following.id], following) if following else None,
        "item_under_way": items[under_way.number] if under_way else None,
        "agenda": agenda_html(meeting, turns, agenda, session),
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


# The agenda is most of the console (at 200 panelists, 400 speakers with their forms) and
# changes only with the meeting's live version, which every change to what it shows raises
# (meetings.live.signals): it is rendered once for each version and language, and kept in the
# shared cache, with a placeholder where each request's CSRF field goes.
AGENDA_TEMPLATE = "meetings/console/agenda.html"
AGENDA_SECONDS = 3600
AGENDA_TEMPLATES = (
    AGENDA_TEMPLATE,
    "meetings/console/agenda_item.html",
    "meetings/console/speaker.html",
    "meetings/console/dialogue.html",
    "meetings/console/give_floor.html",
    "meetings/console/attendance.html",
)


def agenda_html(
    meeting: Meeting,
    turns: list[live_session.SpeakingTurn],
    agenda: list[AgendaItem],
    session: clock.Session,
) -> str:
    """The console's agenda, rendered (`with_csrf` adds the request's CSRF field)."""
    parts = (meeting.pk, meeting.live_version, meeting.status, translation.get_language())
    key = "console-agenda:" + ":".join(map(str, parts))
    key += ":" + fragments.templates_fingerprint(*AGENDA_TEMPLATES)
    html = shared_cache.get(key)
    if html is None:
        slug = meeting.slug
        context = {
            "meeting": meeting,
            "agenda": console_agenda(meeting, turns, agenda, session),
            "last_finished": last_finished(session),
            "concluded": meeting.is_concluded,
            "action_url": reverse("meetings:console_action", args=[slug]),
            "reorder_url": reverse("meetings:console_reorder", args=[slug]),
            "floor_url": reverse("meetings:console_floor", args=[slug]),
            "csrf_token": fragments.CSRF_PLACEHOLDER,
        }
        html = render_to_string(AGENDA_TEMPLATE, context)
        shared_cache.set(key, html, AGENDA_SECONDS)
    return html


def speaker_entry(turn: live_session.SpeakingTurn, state: clock.Turn) -> dict:
    """One speaker as the console lists them, whatever the kind of turn: a panelist's in a
    round, or an intervention (a remarks speaker, a delegation), with its clock, the field the
    console's forms name it by, and where they follow the meeting (the technician unmutes
    who is online)."""
    if isinstance(turn, Intervention):
        named = {"field": "intervention", "name": turn.speaker_label, "acronym": ""}
        where = turn.delegation or turn  # a delegation's intervention: the delegation's
        named |= {"item": turn.item, "round": None, "online": turn.is_online}
    else:
        panelist = turn.panelist
        named = {"field": "turn", "name": panelist.display_name}
        named |= {"acronym": panelist.mechanism.acronym, "item": turn.round.agenda_item}
        named |= {"round": turn.round, "online": panelist.attendance == Attendance.ONLINE}
        where = panelist
    return {
        "turn": turn,
        "clock": state,
        **named,
        "attendance": where.get_attendance_display(),
        "point_of_order": state.point_of_order,
        "current": state.status in clock.CURRENT,
    }


ITEM_STATUS = {
    "waiting": gettext_lazy("Waiting"),
    "under_way": gettext_lazy("Under way"),
    "over": gettext_lazy("Over"),
}


def console_agenda(
    meeting: Meeting,
    turns: list[live_session.SpeakingTurn],
    agenda: list[AgendaItem],
    session: clock.Session,
) -> list[dict]:
    """The whole agenda in order: each item with its status (waiting, under way, over), its
    speakers in speaking order with their clocks, and for a dialogue the requests waiting in
    the order the floor is given (points of order first), the interventions given, whether
    its list of speakers is open, and the delegations the chair may add."""
    states = {turn.id: turn for turn in session.turns}
    under_way = session.current_item
    by_item: dict[int, list[dict]] = {}
    for turn in turns:  # in speaking order, item by item
        entry = speaker_entry(turn, states[turn.clock_id])
        by_item.setdefault(turn.place_in_order[0], []).append(entry)
    entries = []
    for item in sorted(agenda, key=lambda item: item.position):
        rule = session.item(item.position)
        speakers = by_item.get(item.position, [])
        if under_way is not None and under_way.number == item.position:
            status = "under_way"
        else:
            status = "over" if session.item_is_over(rule) else "waiting"
        entry = {
            "item": item,
            "status": status,
            "status_label": ITEM_STATUS[status],
            "speakers": speakers,
            "over": session.item_is_over(rule),
            "closed": rule.closed,
            "reopenable": bool(session.skipped_in(item.position)),
        }
        if item.kind == ItemKind.DIALOGUE:
            entry |= dialogue_entry(meeting, item, speakers, session, status == "under_way")
        else:  # a delegation's point of order after the item's own speakers, flagged
            entry["speakers"] = sorted(speakers, key=lambda speaker: speaker["point_of_order"])
        entries.append(entry)
    return entries


def dialogue_entry(
    meeting: Meeting, item: AgendaItem, speakers: list[dict], session: clock.Session, open_: bool
) -> dict:
    by_id = {entry["clock"].id: entry for entry in speakers}
    queue = [by_id[turn.id] for turn in session.waiting_in(item.position)]
    given = [entry for entry in speakers if entry["clock"].status != clock.TurnStatus.PENDING]
    waiting = {entry["turn"].delegation_id for entry in queue if not entry["point_of_order"]}
    addable = []
    if open_:  # the chair adds a delegation to the dialogue under way only
        delegations = meeting.delegations.select_related("state").exclude(pk__in=waiting)
        addable = sorted(delegations, key=lambda delegation: str(delegation.display_name))
    return {"queue": queue, "given": given, "addable": addable}


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
    """The console's panels after an action: the partial htmx swaps in; a form sent without
    JavaScript gets the whole console back."""
    if not request.htmx:
        return render(request, "meetings/console.html", console_context(meeting) | extra)
    context = panels_context(meeting) | extra
    return render(request, "meetings/console.html#panels", context, status=status)


def console_context(meeting: Meeting) -> dict:
    """The whole console: the panels, and the notes pad open on whoever has the floor."""
    context = panels_context(meeting)
    current = context["current"]
    context |= notes_context(live_session.fresh_notes(current["turn"]) if current else None)
    return context


def notes_context(speaker: live_session.SpeakingTurn | None) -> dict:
    """The notes pad of a turn or an intervention (None: nobody has the floor)."""
    context = {"notes_turn": speaker, "notes_limit": NOTES_MAX_LENGTH}
    if speaker is not None:
        context["notes_field"] = "intervention" if isinstance(speaker, Intervention) else "turn"
        context["notes_editor"] = revisions.last_editor(speaker, RevisedText.NOTES)
    return context


@console_required
@require_safe
def console(request, slug):
    return render(request, "meetings/console.html", console_context(console_meeting(slug)))


@console_required
@require_safe
def console_panels(request, slug):
    return render_panels(request, console_meeting(slug))


def waiting_speakers(meeting: Meeting) -> tuple[AgendaItem | None, list[str]]:
    """The item Next item would close, and the names of the speakers still waiting in it (in
    the order they would have been given the floor)."""
    turns, agenda, session = live_session.meeting_session(meeting)
    item = session.current_item
    if item is None:
        return None, []
    by_id = {turn.clock_id: turn for turn in turns}
    names = [
        speaker_entry(by_id[turn.id], turn)["name"] for turn in session.waiting_in(item.number)
    ]
    return next(entry for entry in agenda if entry.position == item.number), names


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
    stale = values["version"] is not None and values["version"] != meeting.live_version
    if action == clock.Action.NEXT_ITEM and not values["confirmed"] and not stale:
        # Speakers still waiting would be skipped: the chair confirms first, in a second step
        # that is a form of its own (no JavaScript needed).
        item, names = waiting_speakers(meeting)
        if names:
            return render_panels(request, meeting, confirm_next_item={"item": item, "names": names})
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
def console_floor(request, slug):
    """The chair's hand on the dialogue: a delegation added to the list of speakers (a flag
    raised in the room), the list closed or reopened. Each is done once however often it is
    pressed (the services find the request waiting, or the list as asked)."""
    meeting = console_meeting(slug)
    values = parsed(ConsoleFloorForm, request.POST).cleaned_data
    version = meeting.live_version
    try:
        if values["action"] == "add":
            delegation = (
                meeting.delegations.select_related("state").filter(pk=values["delegation"]).first()
            )
            if delegation is None:
                raise clock.NotAllowed("No such delegation in this meeting.")
            floor.add_by_chair(meeting, delegation, by=request.user)
            meeting = console_meeting(slug)
            if meeting.live_version == version:  # its request was waiting already
                messages.info(
                    request,
                    _("%(name)s is already on the list of speakers.")
                    % {"name": delegation.display_name},
                )
        else:
            item = meeting.agenda.filter(position=values["item"]).first()
            if item is None:
                raise clock.NotAllowed("No such agenda item.")
            floor.set_list_of_speakers(
                meeting, item, open_=values["action"] == "reopen", by=request.user
            )
            meeting = console_meeting(slug)
    except floor.RequestRefused as refused:
        messages.warning(request, refused.message)
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
    """The notes pad of the speaker who has the floor: a panelist's turn (`turn`) or an
    intervention (`intervention`), shown (GET) or saved (POST)."""
    meeting = console_meeting(slug)
    if request.method == "POST":
        values = parsed(NotesForm, request.POST).cleaned_data
        turn_id, intervention_id = values["turn"], values["intervention"]
    else:
        turn_id = parse_id(request.GET.get("turn"))
        intervention_id = parse_id(request.GET.get("intervention"))
    if intervention_id is not None and turn_id is None:
        speaker = get_object_or_404(
            Intervention.objects.select_related("item__round", "delegation__state"),
            pk=intervention_id,
            meeting=meeting,
        )
    elif turn_id is not None:
        speaker = get_object_or_404(
            Turn.objects.select_related("round__agenda_item", "panelist__mechanism"),
            pk=turn_id,
            meeting=meeting,
        )
    else:
        raise Http404
    context = {"meeting": meeting, **notes_context(speaker)}
    if request.method in ("GET", "HEAD"):
        return render(request, "meetings/console.html#notes", context)

    text = values["notes"]
    if len(text) > NOTES_MAX_LENGTH:
        context["notes_error"] = _(
            "Notes hold at most %(limit)s characters; these have %(length)s. Nothing was saved."
        ) % {"limit": grouped(NOTES_MAX_LENGTH), "length": grouped(len(text))}
        context["notes_version"] = values["notes_version"]
        return render(request, "meetings/console.html#notes_status", context)
    saved = revisions.save_text(
        speaker,
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
