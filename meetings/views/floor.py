"""A delegation's floor page: /floor/<token>/, opened from its link, no account.

The delegation asks for the floor in the dialogue (or raises a point of order at any time),
withdraws, sees its place in the queue and, once it has the floor, its own countdown. The page
follows the meeting through the public live.json, as the speaker view does (static/js/floor.js
works out the place in the queue from it), so a page left open costs no database query while
nothing changes. Unknown or revoked tokens get 404, and an address that misses too often is
refused for a while, as on the panelist's portal.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from config.common.requests import bad_request, parsed
from config.common.throttle import TOKEN_MISSES, client_address
from meetings.forms import ConfirmationForm, FloorActionForm, RepresentativeFormSet
from meetings.models import ConfirmedAttendance, Delegation, ItemKind, MeetingFormat
from meetings.services import convocation
from meetings.services.floor import (
    RequestRefused,
    UnderWay,
    request_floor,
    under_way,
    withdraw_request,
)
from meetings.services.links import delegation_for_token
from meetings.views.refusals import too_many_attempts


def with_delegation(view):
    """Resolve the token to its delegation (or 404). The page speaks the language the reader
    chose with the switcher, else their browser's: a delegation has no language of its own."""

    @wraps(view)
    @never_cache
    def wrapped(request, token, *args, **kwargs):
        address = client_address(request)
        if TOKEN_MISSES.is_blocked(address):
            return too_many_attempts(
                request, TOKEN_MISSES.blocked_for(address), minutes=TOKEN_MISSES.window_minutes
            )
        delegation = delegation_for_token(token)
        if delegation is None:
            TOKEN_MISSES.record_failure(address)
            raise Http404
        request.delegation = delegation
        response = view(request, token, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


# The delegation's place in the queue, as the page says it: here as it loads, then in floor.js
# from live.json (the same sentences, filled in the same way).
PLACE_TEXTS = {
    "first": gettext_lazy("You are first in the queue."),
    "place": gettext_lazy("Your place in the queue: {place} of {count}."),
    "none": gettext_lazy("You have not asked for the floor."),
}


def place_text(place: int | None, count: int) -> str:
    if place is None:
        return str(PLACE_TEXTS["none"])
    if place == 1:
        return str(PLACE_TEXTS["first"])
    return str(PLACE_TEXTS["place"]).replace("{place}", str(place)).replace("{count}", str(count))


def floor_context(delegation: Delegation, token: str, now: UnderWay | None = None) -> dict:
    """What the page shows as it loads; afterwards floor.js keeps the queue and the speaker
    current from live.json. Read from the session once (or from what a request for the floor
    read under the meeting's lock, `now`): a hundred delegations ask in the same second."""
    meeting = delegation.meeting
    now = now or under_way(meeting)
    item = now.item
    requests = now.queue()
    in_dialogue = item is not None and item.kind == ItemKind.DIALOGUE
    mine = [row for row in requests if row[5] == delegation.pk]
    place = next(
        (place for place, row in enumerate(requests, start=1) if row[5] == delegation.pk), None
    )
    return {
        "token": token,
        "delegation": delegation,
        "meeting": meeting,
        "item": item,
        "in_dialogue": in_dialogue,
        "list_closed": in_dialogue and not item.accepts_requests,
        "place_text": place_text(place, len(requests)),
        "place_texts": PLACE_TEXTS,
        # What this delegation has waiting: floor.js asks for the controls again when the
        # live queue no longer holds as many of its requests (given the floor, withdrawn
        # from another device).
        "waiting_count": len(mine),
        "waiting_request": now.waiting_pk(delegation, point_of_order=False) is not None,
        "point_of_order": now.waiting_pk(delegation, point_of_order=True) is not None,
        "online_meeting": meeting.format in (MeetingFormat.VIRTUAL, MeetingFormat.HYBRID),
        "concluded": meeting.is_concluded,
    }


@require_safe
@with_delegation
def page(request, token):
    context = floor_context(request.delegation, token)
    if request.htmx:  # floor.js asks for the controls again when the queue changed for us
        return render(request, "floor/page.html#controls", context)
    context.update(confirmation_context(request.delegation))
    return render(request, "floor/page.html", context)


# The answer to the convocation ----------------------------------------------------------------

REPRESENTATIVES = "rep"  # the rows' prefix


def confirmation_context(
    delegation: Delegation, *, form=None, rows=None, head: int | None = None, saved=False
) -> dict:
    """The form to confirm attendance and name the representatives, while the meeting has not
    started: as saved (one empty row when nobody is named yet), or as posted (`form`, `rows`)."""
    if not convocation.open_for_answers(delegation.meeting, timezone.now()):
        return {"confirmation_open": False}
    if rows is None:
        people = list(delegation.representatives.all())
        rows = RepresentativeFormSet(
            prefix=REPRESENTATIVES,
            initial=[{"name": p.name, "title": p.title, "email": p.email} for p in people] or [{}],
        )
        head = next((index for index, person in enumerate(people) if person.is_head), 0)
    attendance = delegation.confirmed_attendance
    if form is not None and form.is_bound:
        attendance = form.data.get("attendance", "")
    return {
        "confirmation_open": True,
        "confirm_form": form,
        "representatives": rows,
        "head": head,
        "chosen_attendance": attendance,
        "attendance_choices": ConfirmedAttendance.choices,
        "confirmation_saved": saved,
        "max_representatives": convocation.MAX_REPRESENTATIVES,
    }


def posted_rows(rows) -> list[dict]:
    """The rows as they were typed, valid or not, to show them again."""
    return [{name: row[name].value() or "" for name in row.fields} for row in rows]


def confirmation_page(request, token, delegation: Delegation, **kwargs):
    context = confirmation_context(delegation, **kwargs)
    if request.htmx:
        context["token"] = token
        context["delegation"] = delegation
        return render(request, "floor/page.html#confirmation", context)
    context.update(floor_context(delegation, token))
    return render(request, "floor/page.html", context)


@require_POST
@with_delegation
def confirm(request, token):
    """Confirm attendance and the representatives; or add a row, or remove one, and show the
    form again with what was typed (the page works without JavaScript)."""
    delegation = request.delegation
    form = parsed(ConfirmationForm, request.POST)
    rows = RepresentativeFormSet(request.POST, prefix=REPRESENTATIVES)
    if not rows.management_form.is_valid():
        return bad_request(request, detail="the representatives' management form")
    if not convocation.open_for_answers(delegation.meeting, timezone.now()):
        messages.error(
            request, _("The meeting has started: please tell the secretariat of any change.")
        )
        if request.htmx:  # the whole page, without the form: not a page inside the section
            return HttpResponseClientRedirect(reverse("floor:page", args=[token]))
        return redirect("floor:page", token=token)
    action = form.cleaned_data["action"]
    head = form.cleaned_data["head"] or 0
    if action != "save":
        typed = posted_rows(rows)
        if action == "add" and len(typed) < convocation.MAX_REPRESENTATIVES:
            typed.append({})
        elif action.startswith("remove-"):
            removed = int(action.removeprefix("remove-"))
            typed = [row for index, row in enumerate(typed) if index != removed] or [{}]
            head = 0 if head == removed else head - (head > removed)
        again = RepresentativeFormSet(prefix=REPRESENTATIVES, initial=typed)
        return confirmation_page(request, token, delegation, form=form, rows=again, head=head)
    attendance = form.cleaned_data["attendance"]
    if not attendance:
        form.add_error(None, _("Choose whether your delegation attends."))
    if rows.is_valid() and not form.errors:
        people = [
            {**row.cleaned_data, "is_head": index == head}
            for index, row in enumerate(rows)
            if row.cleaned_data
        ]
        try:
            delegation = convocation.confirm(delegation, attendance, people, timezone.now())
        except ValidationError as refusal:
            form.add_error(None, " ".join(refusal.messages))
        else:
            if request.htmx:
                return confirmation_page(request, token, delegation, saved=True)
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect(f"{reverse('floor:page', args=[token])}#confirmation")
    if rows.non_form_errors():
        form.add_error(None, " ".join(rows.non_form_errors()))
    return confirmation_page(request, token, delegation, form=form, rows=rows, head=head)


@require_POST
@with_delegation
def act(request, token):
    """Request the floor, raise a point of order, or withdraw either. A double click or a
    second device adds nothing: the service returns the request already waiting."""
    delegation = request.delegation
    action = parsed(FloorActionForm, request.POST).cleaned_data["action"]
    outcome, refused, now = outcome_of(delegation, action)
    if request.htmx:
        if now is None:
            delegation.meeting.refresh_from_db()  # the version the action raised, for floor.js
        context = floor_context(delegation, token, now)
        context.update(outcome=outcome, refused=refused)
        return render(request, "floor/page.html#controls", context)
    if refused:
        messages.error(request, outcome)
    elif outcome:
        messages.success(request, outcome)
    return redirect("floor:page", token=token)


def outcome_of(delegation: Delegation, action: str) -> tuple[str, bool, UnderWay | None]:
    """Carry out the action: what to tell the delegation, whether it was refused, and the
    session as the request for the floor left it (None when it is to be read again). Its
    attendance is left as the secretariat recorded it: asking for the floor says nothing of
    where the delegation is."""
    point_of_order = action in ("point_of_order", "withdraw_point_of_order")
    if action.startswith("withdraw"):
        if withdraw_request(delegation, point_of_order=point_of_order):
            if point_of_order:
                return _("Your point of order is withdrawn."), False, None
            return _("Your request for the floor is withdrawn."), False, None
        return _("Nothing was waiting: you may have been given the floor already."), False, None
    try:
        raised = request_floor(delegation, point_of_order=point_of_order)
    except RequestRefused as refusal:
        return str(refusal.message), True, None
    now = getattr(raised, "under_way", None)
    if now is not None:
        delegation.meeting = raised.meeting  # locked by the service: the version it raised
    if point_of_order:
        return (
            _("Your point of order is raised: it comes before the other requests."),
            False,
            now,
        )
    return _("Your request for the floor is in the queue."), False, now
