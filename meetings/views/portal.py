"""The panelist portal: /respond/<token>/, opened from the personal link, no account.

The page speaks the panelist's preferred language unless they chose another
with the switcher; when the secretariat set none, it follows the browser like
every other page. Unknown or revoked tokens get 404, and an address that
misses too often is refused for a while.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.common.requests import MalformedRequest, parsed, require_posted
from config.common.throttle import TOKEN_MISSES, client_address
from mechanisms.models import Mechanism
from meetings.domain import coordination
from meetings.forms import (
    AnswerActionForm,
    AnswerForm,
    AnswerTicksForm,
    DeclineForm,
    ParticipationForm,
)
from meetings.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    MeetingConcluded,
    Panelist,
    PanelistStatus,
    Round,
    Turn,
)
from meetings.outputs.run_of_show import run_of_show
from meetings.services.answers import AnswerConflict, save_draft, submit_answer
from meetings.services.coordination import panelist_ticks
from meetings.services.links import panelist_for_token
from meetings.services.panel import decline_refused, respond_to_invitation
from meetings.services.reminders import deadline
from meetings.views.refusals import too_many_attempts


def with_panelist(view):
    """Resolve the token to its panelist (or 404), in the panelist's language."""

    @wraps(view)
    @never_cache
    def wrapped(request, token, *args, **kwargs):
        address = client_address(request)
        if TOKEN_MISSES.is_blocked(address):
            return too_many_attempts(
                request, TOKEN_MISSES.blocked_for(address), minutes=TOKEN_MISSES.window_minutes
            )
        panelist = panelist_for_token(token)
        if panelist is None:
            TOKEN_MISSES.record_failure(address)
            raise Http404
        request.panelist = panelist
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or not panelist.preferred_language:
            # They chose with the switcher, or nobody set their language: the language
            # LocaleMiddleware chose (the cookie, else the browser's Accept-Language).
            response = view(request, token, *args, **kwargs)
        else:
            with translation.override(panelist.preferred_language):
                response = view(request, token, *args, **kwargs)
            response["Content-Language"] = panelist.preferred_language
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def portal_url(token: str, number: int | None = None) -> str:
    url = reverse("portal:respond", args=[token])
    return f"{url}#round-{number}" if number else url


def portal_context(
    request,
    token: str,
    forms: dict[int, AnswerForm] | None = None,
    conflicts: dict[int, AnswerConflict] | None = None,
) -> dict:
    panelist = request.panelist
    meeting = panelist.meeting
    rounds = list(meeting.rounds.all())
    answers = {answer.round_id: answer for answer in Answer.objects.filter(panelist=panelist)}
    turns = {
        turn.round_id: turn
        for turn in Turn.objects.filter(panelist=panelist).prefetch_related("coordination")
    }
    others = list(Mechanism.objects.exclude(pk=panelist.mechanism_id))
    directory = [coordination.named(mechanism) for mechanism in others]
    forms, conflicts = forms or {}, conflicts or {}
    now = timezone.now()
    entries = []
    for round_ in rounds:
        answer = answers.get(round_.pk)
        form = forms.get(round_.number) or AnswerForm(
            initial={
                "text": answer.draft_text if answer else "",
                "version": answer.version if answer else 0,
            },
            question=round_.question,
            prefix=f"round-{round_.number}",
        )
        turn = turns.get(round_.pk)
        chosen = {m.pk for m in turn.coordination.all()} if turn else set()
        text = f"{answer.draft_text}\n{answer.submitted_text}" if answer else ""
        entries.append(
            {
                "round": round_,
                "deadline": deadline(round_.answers_deadline, now, round_.number),
                "answer": answer,
                "form": form,
                "conflict": conflicts.get(round_.number),
                "others": others,
                "chosen": chosen,
                "coordination_seen": coordination.seen_text(chosen),
                # named in their saved answer: offered, never ticked for them
                "suggested": set(coordination.suggest(text, directory)),
            }
        )
    run = run_of_show(meeting)
    return {
        "token": token,
        "panelist": panelist,
        "meeting": meeting,
        "entries": entries,
        "turns": run.turns_of(panelist),
        "programme": run,
        "closed": meeting.is_concluded,
        "answer_limit": ANSWER_MAX_LENGTH,
        "confirmation_deadline": deadline(meeting.confirmation_deadline, now),
    }


@require_safe
@with_panelist
def respond(request, token):
    return render(request, "portal/respond.html", portal_context(request, token))


@require_POST
@with_panelist
def participation(request, token):
    """Confirm at once; a decline is asked to be confirmed first, on its own page."""
    choice = parsed(ParticipationForm, request.POST).cleaned_data["participation"]
    if request.panelist.meeting.is_concluded:
        messages.error(request, _("The meeting is concluded: your reply can no longer change."))
    elif choice == PanelistStatus.DECLINED:
        return redirect("portal:decline", token=token)
    else:
        try:
            respond_to_invitation(request.panelist, PanelistStatus.CONFIRMED)
        except ValidationError:
            messages.error(
                request,
                _(
                    "The secretariat has named a substitute to speak in your place: please "
                    "write to the secretariat if you can take part after all."
                ),
            )
        else:
            messages.success(request, _("Thank you: your participation is confirmed."))
    return redirect(portal_url(token))


@require_http_methods(["GET", "HEAD", "POST"])
@with_panelist
def decline(request, token):
    """The decline, confirmed on a page of its own, with a reason for the secretariat if the
    panelist wishes to give one (never public)."""
    panelist = request.panelist
    if panelist.meeting.is_concluded:
        messages.error(request, _("The meeting is concluded: your reply can no longer change."))
        return redirect(portal_url(token))
    if panelist.has_declined:
        messages.info(request, _("You have already declined: you will not take part."))
        return redirect(portal_url(token))
    if decline_refused(panelist):
        messages.error(request, DECLINE_REFUSED)
        return redirect(portal_url(token))
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_posted(form)  # the reason may be empty, never missing
    if request.method == "POST" and form.is_valid():
        try:
            respond_to_invitation(
                panelist, PanelistStatus.DECLINED, reason=form.cleaned_data["reason"]
            )
        except ValidationError:  # they were given the floor meanwhile
            messages.error(request, DECLINE_REFUSED)
        else:
            messages.info(request, _("Your answer is recorded: you will not take part."))
        return redirect(portal_url(token))
    return render(
        request,
        "portal/decline.html",
        {"token": token, "panelist": panelist, "meeting": panelist.meeting, "form": form},
    )


DECLINE_REFUSED = gettext_lazy(
    "You have the floor or have already spoken at this meeting: your participation can no "
    "longer be declined here. Please speak to the secretariat."
)


@require_POST
@with_panelist
def answer(request, token, number):
    panelist = request.panelist
    round_ = get_object_or_404(Round, meeting=panelist.meeting, number=number)
    form = AnswerForm(request.POST, question=round_.question, prefix=f"round-{number}")
    require_posted(form)  # a request without the text is no empty draft
    if "version" in form.errors:
        raise MalformedRequest(f"malformed version {form.data.get(form.add_prefix('version'))!r}")
    action = parsed(AnswerActionForm, request.POST).cleaned_data["action"]

    seen = None
    if form.is_valid() and not panelist.meeting.is_concluded:
        ticks = parsed(AnswerTicksForm, request.POST, prefix=f"round-{number}").cleaned_data
        seen = propose_coordination(
            panelist, round_, set(ticks["coordination"]), ticks["coordination-seen"]
        )
    saved, error, conflict = store_answer(panelist, round_, form, action)
    status = 409 if conflict else 200
    if request.htmx and action == "autosave":
        current = saved or answer_of(panelist, round_)
        return render(
            request,
            "portal/respond.html#answer_status",
            {
                "entry": {"round": round_, "answer": current, "conflict": conflict},
                "error": error,
                "coordination_seen": seen,  # the page's record of its ticks, kept current
                "version": current.version if current else 0,  # what the next save starts from
            },
            status=status,
        )
    if error:
        messages.error(request, error)
        context = portal_context(
            request, token, forms={number: form}, conflicts={number: conflict} if conflict else {}
        )
        return render(request, "portal/respond.html", context, status=status)
    if action == "submit":
        messages.success(
            request, _("Your answer to round %(number)d is submitted.") % {"number": number}
        )
    else:
        messages.success(
            request, _("Your draft for round %(number)d is saved.") % {"number": number}
        )
    return redirect(portal_url(token, number))


def store_answer(
    panelist: Panelist, round_: Round, form: AnswerForm, action: str
) -> tuple[Answer | None, str, AnswerConflict | None]:
    """Submit the answer or save it as a draft, as `action` says. Returns what was saved (on a
    conflict, the version the other tab or device saved), the error to show ("" when none) and
    the conflict that refused the save; the form shows what refused it."""
    if not form.is_valid():
        return None, " ".join(form.errors.get("text", [])), None
    text, version = form.cleaned_data["text"], form.cleaned_data["version"]
    try:
        if action == "submit":
            return submit_answer(panelist, round_, text, base_version=version), "", None
        return save_draft(panelist, round_, text, base_version=version), "", None
    except AnswerConflict as refused:
        form.show_current_version(refused.answer.version)
        error = _("Not saved: this answer was changed in another tab or on another device.")
        return refused.answer, error, refused
    except MeetingConcluded:
        return None, _("The meeting is concluded: answers can no longer change."), None
    except ValidationError as problem:
        error = " ".join(problem.messages)
        form.add_error("text", problem)
        return None, error, None


def answer_of(panelist, round_) -> Answer | None:
    return Answer.objects.filter(panelist=panelist, round=round_).first()


@require_safe
@with_panelist
def speaker(request, token):
    """The panelist's own countdown and the chair's messages, for those who join remotely."""
    panelist = request.panelist
    return render(
        request,
        "portal/speaker.html",
        {
            "token": token,
            "panelist": panelist,
            "meeting": panelist.meeting,
            "turns": run_of_show(panelist.meeting).turns_of(panelist),
        },
    )


def propose_coordination(panelist, round_, ticked: set[int], shown: set[int] | None) -> str | None:
    """The mechanisms the panelist proposes to coordinate with in this round's answer
    (meetings.services.coordination.panelist_ticks), compared with those the page showed
    (None: not compared; every page of ours says). Gives the ticks the page shows from now
    on, its own (None without a turn): what it sends next is compared with them."""
    if not panelist_ticks(panelist, round_, ticked, seen=shown):
        return None
    return coordination.seen_text(ticked)
