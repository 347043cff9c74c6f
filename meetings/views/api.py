"""The AV desk's HTTP API: a meeting's clock driven by a device holding one of its tokens
(a Stream Deck through Bitfocus Companion, a script), as the console drives it.

Each request says `Authorization: Bearer <token>`. POST /api/meetings/<slug>/actions/<action>/
applies one console action through meetings.services.live_session, with the console's rule
of exactly once: a body may carry `version`, the live version the caller last saw, and the
action is then applied only to that state (a retried request answers 409 instead of acting
twice); without it, the action applies to the state as it is. GET .../state/ is live.json.
Answers are JSON; the state is live.json's, built by the same code.

Token auth, no cookie: these views alone are CSRF exempt (a browser's session opens
nothing here).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from config.common.throttle import API_TOKEN_MISSES, client_address
from meetings.domain import clock
from meetings.live import feed
from meetings.live.state import live_state
from meetings.models import MESSAGE_MAX_LENGTH, Meeting
from meetings.services import api_tokens, live_session

# The console's buttons a device may press (those that name no speaker or item), and message.
ACTIONS = (
    clock.Action.START,
    clock.Action.PAUSE,
    clock.Action.RESUME,
    clock.Action.ADD_MINUTE,
    clock.Action.NEXT,
    clock.Action.SKIP,
    clock.Action.NEXT_ITEM,
    "message",
)


class ApiActionForm(forms.Form):
    version = forms.IntegerField(min_value=0, required=False)
    # message only: "" clears the message on the displays
    text = forms.CharField(max_length=MESSAGE_MAX_LENGTH * 2, required=False, strip=False)


def error(status: int, code: str, detail: str, meeting: Meeting | None = None, **headers):
    body = {"error": code, "detail": detail}
    if meeting is not None:  # what the caller needs to act again: the state as it is now
        body["state"] = state_of(meeting)
    response = JsonResponse(body, status=status)
    for name, value in headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def state_of(meeting: Meeting) -> dict:
    return live_state(Meeting.objects.select_related("convening_body").get(pk=meeting.pk))


def token_in(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_required(view):
    """401 without a live token, 403 for another meeting's token, 429 once an address has
    sent too many bad tokens (the throttle of the personal links)."""

    def wrapped(request, slug, *args, **kwargs):
        address = client_address(request)
        if seconds := API_TOKEN_MISSES.blocked_for(address):
            return error(429, "throttled", "Too many bad tokens.", **{"Retry-After": seconds})
        row = api_tokens.token_for(token_in(request))
        if row is None:
            API_TOKEN_MISSES.record_failure(address)
            return error(
                401,
                "unauthorized",
                "A valid token is needed: Authorization: Bearer <token>.",
                **{"WWW-Authenticate": 'Bearer realm="meeting clock"'},
            )
        if row.meeting.slug != slug:
            API_TOKEN_MISSES.record_failure(address)
            return error(403, "forbidden", "This token is for another meeting.")
        api_tokens.mark_used(row)
        language = feed.screen_language(request, translation.get_language())
        with translation.override(language):
            response = view(request, row, *args, **kwargs)
        response["Content-Language"] = language
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return never_cache(csrf_exempt(wrapped))


@token_required
@require_POST
def action(request, token, action):
    meeting = token.meeting
    if action not in ACTIONS:
        return error(400, "unknown_action", f"Actions: {', '.join(map(str, ACTIONS))}.")
    form = ApiActionForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return error(400, "bad_request", problems)
    version, via = form.cleaned_data["version"], token.name
    try:
        if action == "message":
            text = form.cleaned_data["text"]
            meeting = live_session.set_message(
                meeting, text, by=None, expected_version=version, via=via
            )
        else:
            meeting = live_session.perform(
                meeting, action, by=None, expected_version=version, via=via
            )
    except live_session.StaleVersion:
        return error(409, "stale_version", "The state changed since that version.", meeting)
    except clock.NotAllowed as refusal:
        return error(409, "not_allowed", str(refusal), meeting)
    except ValidationError as refusal:
        return error(400, "bad_request", " ".join(refusal.messages))
    return JsonResponse(state_of(meeting), json_dumps_params={"ensure_ascii": False})


@token_required
@require_safe
def state(request, token):
    """live.json's answer (ETag included), for a device that shows the clock too."""
    entry = feed.current(token.meeting.slug)
    return feed.respond(request, entry, translation.get_language())
