"""The secretariat's pages: meetings, the panel, invitations and the speaking order.

Views parse the request, call one action of meetings.services.panel, .links or
.invitations, and render; htmx requests get the partial they swap.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from config.common.formatting import parse_id, parse_ids
from config.common.requests import MalformedRequest, bad_request, parsed, require_posted
from mechanisms.models import Mechanism
from meetings.forms import (
    CopyOrderForm,
    LinkActionForm,
    MeetingForm,
    MoveForm,
    PanelistForm,
    RoundFormSet,
    SpeakingOrderForm,
    SubstituteForm,
)
from meetings.models import (
    TIME_ZONES,
    AnswerStatus,
    Email,
    EmailKind,
    Meeting,
    MeetingConcluded,
    Panelist,
    PanelistStatus,
    Round,
)
from meetings.outputs.run_of_show import rounds_with_order, run_of_show
from meetings.services import invitations, outbox, panel, reminders
from meetings.services.links import issue_link, revoke_link
from meetings.services.meetings import save_meeting
from meetings.services.slots import outdated_slots
from meetings.views.access import manage_required
from meetings.views.outbox import sending_shown


def managed_meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


# Meetings ----------------------------------------------------------------------------------


@manage_required
@require_safe
def meeting_list(request):
    meetings = Meeting.objects.annotate(
        seats=Count("panelists", distinct=True),
        confirmed=Count(
            "panelists", filter=Q(panelists__status=PanelistStatus.CONFIRMED), distinct=True
        ),
    )
    return render(request, "meetings/manage/list.html", {"meetings": meetings})


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_create(request):
    return edit_meeting(request, Meeting(), extra_rounds=2)


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request, slug):
    return edit_meeting(request, managed_meeting(slug), extra_rounds=0)


def edit_meeting(request, meeting: Meeting, *, extra_rounds: int):
    creating = meeting.pk is None
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting)
    formset = RoundFormSet(data, instance=meeting, prefix="rounds")
    if data is not None:
        require_posted(form, formset)  # a field left out would be saved empty
    if creating and data is None:
        formset.extra = max(extra_rounds - formset.min_num, 0)  # min_num forms come on top
        formset.initial_extra = [{"number": n} for n in range(1, extra_rounds + 1)]
    # One transaction from the conflict check (which locks the meeting's row) to the save.
    with transaction.atomic():
        saved = request.method == "POST" and form.is_valid() and formset.is_valid()
        if saved:
            meeting = save_meeting(form, rounds=formset, by=request.user)
    if saved:
        messages.success(request, _("The meeting is saved."))
        return redirect("meetings:panel", slug=meeting.slug)
    return render(
        request,
        "meetings/manage/form.html",
        {
            "form": form,
            "formset": formset,
            "meeting": meeting,
            "creating": creating,
            "time_zones": TIME_ZONES,
        },
    )


# The panel ---------------------------------------------------------------------------------


def panelists_for_panel(meeting: Meeting):
    latest_emails = Email.objects.order_by("-created_at")
    return (
        meeting.panelists.select_related("mechanism", "substitute_for")
        .prefetch_related(Prefetch("emails", queryset=latest_emails), "substitutes")
        .annotate(
            submitted=Count("answers", filter=Q(answers__status=AnswerStatus.SUBMITTED)),
        )
        .order_by("mechanism__position", "pk")
    )


def panel_filter(panelists, show: str, round_count: int):
    if show == "not_confirmed":  # still to answer: who declined has answered
        return panelists.filter(status=PanelistStatus.INVITED)
    if show == "not_submitted":
        return panelists.filter(submitted__lt=round_count).exclude(status=PanelistStatus.DECLINED)
    return panelists


@manage_required
@require_safe
def panel_page(request, slug):
    meeting = managed_meeting(slug)
    rounds = rounds_with_order(meeting)
    show = request.GET.get("show", "")
    everyone = list(panelists_for_panel(meeting))
    shown = list(panel_filter(panelists_for_panel(meeting), show, len(rounds)))
    on_panel = {panelist.mechanism_id for panelist in everyone}
    run = run_of_show(meeting, rounds)
    groups: dict[Mechanism, list[Panelist]] = {}
    for panelist in shown:
        groups.setdefault(panelist.mechanism, []).append(panelist)
    return render(
        request,
        "meetings/manage/panel.html",
        {
            "meeting": meeting,
            "groups": groups,
            "show": show,
            "counts": {
                "seats": len(everyone),
                "confirmed": sum(p.status == PanelistStatus.CONFIRMED for p in everyone),
                "declined": sum(p.status == PanelistStatus.DECLINED for p in everyone),
                "not_invited": sum(p.invited_at is None for p in everyone),
            },
            "round_count": len(rounds),
            "other_mechanisms": Mechanism.objects.exclude(pk__in=on_panel),
            "run_of_show": run,
            "outdated": outdated_slots(meeting, everyone, run),
            "back": "panel",
            **sending_shown(request),
            "deadlines": reminders.deadlines(meeting, timezone.now()),
            "scheduled_reminders": reminders.scheduled_reminders(meeting).count(),
        },
    )


def panelist_of(meeting: Meeting, pk: int) -> Panelist:
    return get_object_or_404(panelists_for_panel(meeting), pk=pk)


def render_panelist(request, panelist: Panelist, round_count: int, **extra):
    return render(
        request,
        "meetings/manage/panel.html#panelist",
        {"panelist": panelist, "meeting": panelist.meeting, "round_count": round_count, **extra},
    )


def panel_changed(meeting: Meeting, back: str = "panel", rounds: list[Round] | None = None) -> dict:
    """What a swap that changed the panel adds to its response: the page's run of show, out
    of band, recomputed (a name, a status, a seat added or removed changes it), and the notice
    of who must be sent their new slot."""
    run = run_of_show(meeting, rounds)
    return {
        "run_of_show": run,
        "refresh_run_of_show": True,
        "outdated": outdated_slots(meeting, run=run),
        "back": back,
    }


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def panelist_add(request, slug):
    """The add form, inline under a mechanism (htmx) or as a page; `cancel` gives the slot back."""
    meeting = managed_meeting(slug)
    mechanism_id = request.POST.get("mechanism") or request.GET.get("mechanism") or ""
    slot_pk = parse_id(mechanism_id)
    slot_mechanism = Mechanism.objects.filter(pk=slot_pk).first() if slot_pk is not None else None
    context = {"meeting": meeting, "panelist": None, "slot_mechanism": slot_mechanism}
    if request.htmx and request.GET.get("cancel") and slot_mechanism:
        return render(request, "meetings/manage/panel.html#add_slot", context)

    data = request.POST if request.method == "POST" else None
    form = PanelistForm(data, initial={"mechanism": mechanism_id})
    if data is not None:
        require_posted(form)
    if data is not None and form.is_valid():
        panelist = panel.save_panelist(form, meeting=meeting, by=request.user)
        if not request.htmx:
            messages.success(request, _("The panelist is added."))
            return redirect(f"{meeting_panel_url(meeting)}#panelist-{panelist.pk}")
        panelist = panelist_of(meeting, panelist.pk)
        return render_panelist(
            request,
            panelist,
            meeting.rounds.count(),
            add_slot=panelist.mechanism,
            **panel_changed(meeting),
        )
    if request.htmx:
        return render(
            request, "meetings/manage/panel.html#panelist_form", {**context, "form": form}
        )
    return render(request, "meetings/manage/panelist_page.html", {**context, "form": form})


def meeting_panel_url(meeting: Meeting) -> str:
    return reverse("meetings:panel", args=[meeting.slug])


@manage_required
@require_safe
def panelist_card(request, slug, pk):
    meeting = managed_meeting(slug)
    return render_panelist(request, panelist_of(meeting, pk), meeting.rounds.count())


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def panelist_edit(request, slug, pk):
    meeting = managed_meeting(slug)
    panelist = panelist_of(meeting, pk)
    data = request.POST if request.method == "POST" else None
    form = PanelistForm(data, instance=panelist)
    if data is not None:
        require_posted(form)  # a field left out would be saved empty
    # One transaction from the conflict check (which locks the meeting's and the panelist's
    # rows) to the save.
    try:
        with transaction.atomic():
            saved = request.method == "POST" and form.is_valid()
            if saved:
                panel.save_panelist(form, by=request.user)
    except ValidationError as refusal:  # a decline while they speak, say: the form says why
        form.add_error(None if hasattr(refusal, "error_dict") else "status", refusal)
        return render_panelist_form(request, form, meeting, panelist)
    if saved:
        if not request.htmx:
            messages.success(request, _("The panelist is saved."))
            return redirect("meetings:panel", slug=meeting.slug)
        return render_panelist(
            request, panelist_of(meeting, pk), meeting.rounds.count(), **panel_changed(meeting)
        )
    return render_panelist_form(request, form, meeting, panelist)


def render_panelist_form(request, form, meeting: Meeting, panelist: Panelist):
    template = (
        "meetings/manage/panel.html#panelist_form"
        if request.htmx
        else ("meetings/manage/panelist_page.html")
    )
    return render(request, template, {"form": form, "meeting": meeting, "panelist": panelist})


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def panelist_substitute(request, slug, pk):
    """Name a substitute for a panelist who declined: their places, a link and invitation of
    their own."""
    meeting = managed_meeting(slug)
    declined = panelist_of(meeting, pk)
    data = request.POST if request.method == "POST" else None
    form = SubstituteForm(data)
    if data is not None:
        require_posted(form)  # a field left out would be saved empty
    refusal = panel.substitute_refused(declined)
    if refusal:
        messages.error(request, refusal)
        return redirect(f"{meeting_panel_url(meeting)}#panelist-{declined.pk}")
    if data is not None and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SubstituteForm.Meta.fields}
        try:
            substitute = panel.name_substitute(declined, by=request.user, **fields)
        except ValidationError as problem:
            form.add_error(None, problem)
        except MeetingConcluded:
            form.add_error(None, _("The meeting is concluded: its panel can no longer change."))
        else:
            messages.success(
                request,
                _("%(substitute)s takes the places of %(name)s in every round.")
                % {"substitute": substitute.display_name, "name": declined.display_name},
            )
            if form.cleaned_data["invite"]:
                record = invitations.send(substitute, EmailKind.INVITATION, by=request.user)
                notify_email_result(request, record)
            return redirect(f"{meeting_panel_url(meeting)}#panelist-{substitute.pk}")
    return render(
        request,
        "meetings/manage/substitute.html",
        {"meeting": meeting, "declined": declined, "form": form},
    )


@manage_required
@require_POST
def panelist_remove(request, slug, pk):
    meeting = managed_meeting(slug)
    try:
        panel.remove_panelist(panelist_of(meeting, pk), by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        if request.htmx:  # the row stays; the page says why
            return HttpResponseClientRedirect(meeting_panel_url(meeting))
        return redirect("meetings:panel", slug=meeting.slug)
    if request.htmx:  # the card goes; the run of show comes out of band
        context = {"meeting": meeting, **panel_changed(meeting)}
        return render(request, "meetings/manage/panel_changed.html", context)
    messages.success(request, _("The panelist is removed."))
    return redirect("meetings:panel", slug=meeting.slug)


@manage_required
@require_POST
def panelist_link(request, slug, pk):
    meeting = managed_meeting(slug)
    panelist = panelist_of(meeting, pk)
    if parsed(LinkActionForm, request.POST).cleaned_data["action"] == "revoke":
        revoke_link(panelist, by=request.user)
        messages.success(request, _("The personal link is revoked: it no longer opens anything."))
    else:
        issue_link(panelist, by=request.user)
        messages.success(request, _("A new personal link is issued; the old one no longer works."))
    return redirect(f"{meeting_panel_url(meeting)}#panelist-{panelist.pk}")


# Invitations -------------------------------------------------------------------------------


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def panelist_email(request, slug, pk, kind):
    meeting = managed_meeting(slug)
    panelist = panelist_of(meeting, pk)
    if kind not in EmailKind.values:
        raise Http404
    if request.method == "POST":
        try:
            record = invitations.send(panelist, EmailKind(kind), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            notify_email_result(request, record)
        return redirect(f"{meeting_panel_url(meeting)}#panelist-{panelist.pk}")
    # The secretariat may read the other languages' versions; the send is always in theirs.
    shown = invitations.reading_language(panelist, request.GET.get("language", ""))
    return render(
        request,
        "meetings/manage/email_preview.html",
        {
            "meeting": meeting,
            "panelist": panelist,
            "kind": EmailKind(kind),
            "email": invitations.compose(panelist, EmailKind(kind), language=shown),
            "sent_in": invitations.language_name(panelist.email_language),
            "reading_languages": invitations.languages(panelist),
        },
    )


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite_all(request, slug):
    """Invite every panelist not yet invited (who declined is not), after a look at who and at
    each language's email."""
    meeting = managed_meeting(slug)
    waiting = list(
        meeting.panelists.select_related("mechanism", "meeting")
        .filter(invited_at__isnull=True)
        .exclude(status=PanelistStatus.DECLINED)
    )
    recipients = [panelist for panelist in waiting if panelist.email]
    if request.method == "POST":
        sending = invitations.send_each(recipients, EmailKind.INVITATION, by=request.user)
        messages.success(request, _("Invitations queued: %(count)d.") % {"count": sending.queued})
        notify_not_sent(request, sending)
        return redirect(sending_url(meeting, sending))
    return render(
        request,
        "meetings/manage/invite_all.html",
        {
            "meeting": meeting,
            "recipients": recipients,
            "without_email": [panelist for panelist in waiting if not panelist.email],
            "versions": invitations.versions(recipients, EmailKind.INVITATION),
        },
    )


@manage_required
@require_POST
def send_updates(request, slug):
    """Send their new slot to every panelist whose slot changed after their last email."""
    meeting = managed_meeting(slug)
    sending = invitations.send_updated_slots(meeting, by=request.user)
    messages.success(
        request,
        ngettext(
            "The updated slot is queued for %(count)d panelist.",
            "The updated slot is queued for %(count)d panelists.",
            sending.queued,
        )
        % {"count": sending.queued},
    )
    notify_not_sent(request, sending)
    if request.POST.get("back") == "order":
        return redirect("meetings:order", slug=meeting.slug)
    return redirect(sending_url(meeting, sending))


@manage_required
@require_POST
def email_retry(request, slug, pk):
    meeting = managed_meeting(slug)
    record = get_object_or_404(
        Email.objects.select_related("panelist__meeting"), pk=pk, panelist__meeting=meeting
    )
    notify_email_result(request, outbox.resend(record, by=request.user))
    return redirect(f"{meeting_panel_url(meeting)}#panelist-{record.panelist_id}")


def sending_url(meeting, sending: invitations.Sending) -> str:
    """The panel page with the progress of the emails just queued."""
    if not sending.queued:
        return meeting_panel_url(meeting)
    return f"{meeting_panel_url(meeting)}?sending={sending.batch}"


def notify_not_sent(request, sending: invitations.Sending) -> None:
    """What the page says of the emails asked for that were not queued."""
    if sending.repeated:
        messages.info(request, invitations.not_sent_again(sending.repeated))


def notify_email_result(request, record: Email) -> None:
    messages.success(
        request,
        _("The email to %(to)s is queued: it goes out in a moment (the outbox shows it).")
        % {"to": record.to},
    )


# Speaking order ----------------------------------------------------------------------------


@manage_required
@require_safe
def order_page(request, slug):
    meeting = managed_meeting(slug)
    panel.sync_turns(meeting)
    rounds = rounds_with_order(meeting)
    run = run_of_show(meeting, rounds)
    return render(
        request,
        "meetings/manage/order.html",
        {
            "meeting": meeting,
            "rounds": rounds,
            "run_of_show": run,
            "outdated": outdated_slots(meeting, run=run),
            "back": "order",
        },
    )


def render_round_order(request, meeting: Meeting, number: int, **extra):
    rounds = rounds_with_order(meeting)
    round_ = next(r for r in rounds if r.number == number)
    return render(
        request,
        "meetings/manage/order.html#round_order",
        {
            "meeting": meeting,
            "round": round_,
            **panel_changed(meeting, back="order", rounds=rounds),
            **extra,
        },
    )


def round_of(meeting: Meeting, number: int) -> Round:
    return get_object_or_404(Round, meeting=meeting, number=number)


@manage_required
@require_POST
def order_move(request, slug, number):
    meeting = managed_meeting(slug)
    round_ = round_of(meeting, number)
    values = parsed(MoveForm, request.POST).cleaned_data
    panelist_id, offset = values["panelist"], values["offset"]
    try:
        panel.move_in_speaking_order(round_, panelist_id, offset, by=request.user)
    except ValidationError as refusal:
        return bad_request(request, _("This move is not possible."), detail=str(refusal))
    position = next(turn.position for turn in round_.turns.all() if turn.panelist_id == panelist_id)
    return respond_order(
        request,
        meeting,
        number,
        moved=panelist_id,
        direction="up" if offset < 0 else "down",
        announcement=_("Moved to position %(position)d.") % {"position": position},
    )


@manage_required
@require_POST
def order_set(request, slug, number):
    meeting = managed_meeting(slug)
    round_ = round_of(meeting, number)
    refused = _("This order is not possible; reload the page.")
    values = parsed(SpeakingOrderForm, request.POST).cleaned_data["order"].split(",")
    order = parse_ids(values)
    if len(order) != len(values):
        raise MalformedRequest(f"malformed order {values!r}", refused)
    try:
        panel.set_speaking_order(round_, order, by=request.user)
    except ValidationError as refusal:
        return bad_request(request, refused, detail=str(refusal))
    return respond_order(request, meeting, number)


@manage_required
@require_POST
def order_copy(request, slug, number):
    meeting = managed_meeting(slug)
    target = round_of(meeting, number)
    source = round_of(meeting, 1)
    reverse = parsed(CopyOrderForm, request.POST).cleaned_data["reverse"]
    panel.copy_speaking_order(source, target, reverse=reverse, by=request.user)
    return respond_order(request, meeting, number)


def respond_order(request, meeting: Meeting, number: int, **extra):
    if request.htmx:
        return render_round_order(request, meeting, number, **extra)
    messages.success(request, _("The speaking order is saved."))
    return redirect("meetings:order", slug=meeting.slug)
