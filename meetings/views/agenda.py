"""The secretariat's Agenda and Delegations pages of a meeting.

The agenda: its items in order, each added, edited, moved and removed, and a remarks item's
named speakers. The delegations: the roll call (each delegation's attendance, set in place
with htmx), observers and organisations added, floor links issued, revoked and downloaded.
Each view parses the request with a form, calls one action of meetings.services.agenda or
.delegations, and redirects (the agenda) or swaps the row (the roll call); a form refused
shows again on its page, with what was typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.common.requests import parsed, require_posted
from config.common.spreadsheets import csv_response
from meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    DelegationLinkForm,
    ItemChoiceForm,
    ItemMoveForm,
    ObserverForm,
    RemarksSpeakerForm,
    SpeakerChoiceForm,
    SpeakerMoveForm,
)
from meetings.models import Attendance, Delegation, Intervention, ItemKind, Meeting
from meetings.services import agenda, delegations
from meetings.services.agenda import ITEM_FIELDS, SPEAKER_FIELDS
from meetings.services.links import link_path
from meetings.views.access import manage_required
from meetings.views.outbox import sending_shown

# The forms' prefixes: one form of each kind is posted at a time, so its fields have the same
# names whichever item it edits (the item or speaker is posted beside them); their ids, each
# form's own on the page, say which.
ADD_ITEM, EDIT_ITEM, ADD_SPEAKER, EDIT_SPEAKER = "new-item", "item", "new-speaker", "speaker"


def managed_meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


def ids_of(key: str) -> str:
    return f"id_{key}_%s"


def refusal_text(refusal: ValidationError) -> str:
    return " ".join(refusal.messages)


# The agenda ----------------------------------------------------------------------------------


def agenda_items(meeting: Meeting):
    return list(
        meeting.agenda.select_related("round")
        .prefetch_related("interventions")
        .order_by("position")
    )


def render_agenda(request, meeting: Meeting, *, bound=None, key: str = ""):
    """The page with an edit form for each item and speaker; `bound`, a form refused (`key`
    says which), takes its place with what was typed and why it was refused."""

    def form(form_class, prefix, form_key, **kwargs):
        if bound is not None and form_key == key:
            return bound
        return form_class(prefix=prefix, auto_id=ids_of(form_key), **kwargs)

    items = agenda_items(meeting)
    for item in items:
        item.edit_form = form(AgendaItemForm, EDIT_ITEM, f"item{item.pk}", instance=item)
        item.removal_refused = agenda.removal_refused(item)
        item.speakers = [each for each in item.interventions.all() if each.delegation_id is None]
        for speaker in item.speakers:
            speaker.edit_form = form(
                RemarksSpeakerForm, EDIT_SPEAKER, f"speaker{speaker.pk}", instance=speaker
            )
        if item.kind == ItemKind.REMARKS:
            item.speaker_form = form(RemarksSpeakerForm, ADD_SPEAKER, f"newspeaker{item.pk}")
    return render(
        request,
        "meetings/manage/agenda.html",
        {"meeting": meeting, "items": items, "add_form": form(AgendaItemForm, ADD_ITEM, "new")},
    )


def agenda_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:agenda", args=[meeting.slug])
    return f"{url}#{anchor}" if anchor else url


def item_of(meeting: Meeting, data, form_class=ItemChoiceForm) -> object:
    pk = parsed(form_class, data).cleaned_data["item"]
    return get_object_or_404(meeting.agenda.select_related("round"), pk=pk)


def speaker_of(meeting: Meeting, data, form_class=SpeakerChoiceForm) -> Intervention:
    pk = parsed(form_class, data).cleaned_data["speaker"]
    return get_object_or_404(
        Intervention.objects.select_related("item"),
        pk=pk,
        meeting=meeting,
        delegation__isnull=True,
    )


def moved(request, meeting: Meeting, row, move, anchor: str):
    """Moves an item or a speaker one place up or down (`move` is the service's action) and
    goes back to it on the page. The offset was checked with the row's number, before the row
    was looked up: a request our page never sends is refused whichever rows exist."""
    offset = int(request.POST["offset"])
    try:
        placed = move(row, offset, by=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
    else:
        messages.success(
            request, _("Moved to position %(position)d.") % {"position": placed.position}
        )
    return redirect(agenda_url(meeting, anchor))


def values(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.fields}


@manage_required
@require_safe
def agenda_page(request, slug):
    return render_agenda(request, managed_meeting(slug))


@manage_required
@require_POST
def item_add(request, slug):
    meeting = managed_meeting(slug)
    form = AgendaItemForm(request.POST, prefix=ADD_ITEM, auto_id=ids_of("new"))
    require_posted(form)
    if form.is_valid():
        try:
            item = agenda.add_item(
                meeting,
                by=request.user,
                kind=form.cleaned_data["kind"],
                **values(form, ITEM_FIELDS),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, _("The item is added to the agenda."))
            return redirect(agenda_url(meeting, f"item-{item.pk}"))
    return render_agenda(request, meeting, bound=form, key="new")


@manage_required
@require_POST
def item_edit(request, slug):
    meeting = managed_meeting(slug)
    item = item_of(meeting, request.POST)
    key = f"item{item.pk}"
    form = AgendaItemForm(request.POST, instance=item, prefix=EDIT_ITEM, auto_id=ids_of(key))
    require_posted(form)
    if form.is_valid():
        try:
            agenda.update_item(item, by=request.user, **values(form, ITEM_FIELDS))
        except ValidationError as refusal:
            form.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, _("The item is saved."))
            return redirect(agenda_url(meeting, f"item-{item.pk}"))
    return render_agenda(request, meeting, bound=form, key=key)


@manage_required
@require_POST
def item_move(request, slug):
    meeting = managed_meeting(slug)
    item = item_of(meeting, request.POST, ItemMoveForm)
    return moved(request, meeting, item, agenda.move_item, f"item-{item.pk}")


@manage_required
@require_POST
def item_remove(request, slug):
    meeting = managed_meeting(slug)
    item = item_of(meeting, request.POST)
    try:
        agenda.remove_item(item, by=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
        return redirect(agenda_url(meeting, f"item-{item.pk}"))
    messages.success(request, _("The item is removed from the agenda."))
    return redirect(agenda_url(meeting))


@manage_required
@require_POST
def speaker_add(request, slug):
    meeting = managed_meeting(slug)
    item = item_of(meeting, request.POST)
    key = f"newspeaker{item.pk}"
    form = RemarksSpeakerForm(request.POST, prefix=ADD_SPEAKER, auto_id=ids_of(key))
    require_posted(form)
    if form.is_valid():
        try:
            agenda.add_speaker(item, by=request.user, **values(form, SPEAKER_FIELDS))
        except ValidationError as refusal:
            form.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, _("The speaker is added."))
            return redirect(agenda_url(meeting, f"item-{item.pk}"))
    return render_agenda(request, meeting, bound=form, key=key)


@manage_required
@require_POST
def speaker_edit(request, slug):
    meeting = managed_meeting(slug)
    speaker = speaker_of(meeting, request.POST)
    key = f"speaker{speaker.pk}"
    form = RemarksSpeakerForm(
        request.POST, instance=speaker, prefix=EDIT_SPEAKER, auto_id=ids_of(key)
    )
    require_posted(form)
    if form.is_valid():
        try:
            agenda.update_speaker(speaker, by=request.user, **values(form, SPEAKER_FIELDS))
        except ValidationError as refusal:
            form.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, _("The speaker is saved."))
            return redirect(agenda_url(meeting, f"item-{speaker.item_id}"))
    return render_agenda(request, meeting, bound=form, key=key)


@manage_required
@require_POST
def speaker_move(request, slug):
    meeting = managed_meeting(slug)
    speaker = speaker_of(meeting, request.POST, SpeakerMoveForm)
    return moved(request, meeting, speaker, agenda.move_speaker, f"item-{speaker.item_id}")


@manage_required
@require_POST
def speaker_remove(request, slug):
    meeting = managed_meeting(slug)
    speaker = speaker_of(meeting, request.POST)
    try:
        agenda.remove_speaker(speaker, by=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal_text(refusal))
    else:
        messages.success(request, _("The speaker is removed."))
    return redirect(agenda_url(meeting, f"item-{speaker.item_id}"))


# The delegations -----------------------------------------------------------------------------


def meeting_delegations(meeting: Meeting):
    return meeting.delegations.select_related("state").order_by("kind", "code")


def render_delegations(request, meeting: Meeting, *, form=None, status: int = 200):
    rows = list(meeting_delegations(meeting))
    for delegation in rows:
        delegation.path = link_path(delegation)
    return render(
        request,
        "meetings/manage/delegations.html",
        {
            "meeting": meeting,
            "delegations": rows,
            "present": sum(delegation.is_present for delegation in rows),
            "online": sum(delegation.is_online for delegation in rows),
            "total": len(rows),
            "attendances": Attendance.choices,
            "form": form or ObserverForm(prefix="new"),
            **sending_shown(request),
        },
        status=status,
    )


def delegation_of(meeting: Meeting, pk: int) -> Delegation:
    return get_object_or_404(meeting_delegations(meeting), pk=pk)


@manage_required
@require_safe
def delegations_page(request, slug):
    return render_delegations(request, managed_meeting(slug))


@manage_required
@require_POST
def delegation_add(request, slug):
    meeting = managed_meeting(slug)
    form = ObserverForm(request.POST, prefix="new")
    require_posted(form)
    if form.is_valid():
        names = values(form, delegations.NAME_FIELDS)
        try:
            added = delegations.add_delegation(
                meeting,
                by=request.user,
                kind=form.cleaned_data["kind"],
                code=form.cleaned_data["code"],
                **names,
            )
        except ValidationError as refusal:
            if hasattr(refusal, "error_dict"):
                for field, errors in refusal.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, refusal_text(refusal))
        else:
            messages.success(request, _("%(name)s is added.") % {"name": added.display_name})
            return redirect(f"{reverse('meetings:delegations', args=[slug])}#delegation-{added.pk}")
    return render_delegations(request, meeting, form=form)


@manage_required
@require_POST
def delegation_attendance(request, slug):
    """The roll call: one delegation marked not present, in the room or online; htmx swaps
    its row (and the count), a plain form comes back to the page."""
    meeting = managed_meeting(slug)
    chosen = parsed(AttendanceForm, request.POST).cleaned_data
    delegation = delegation_of(meeting, chosen["delegation"])
    delegation = delegations.set_attendance(delegation, chosen["attendance"], by=request.user)
    if request.htmx:
        rows = list(meeting_delegations(meeting))
        delegation = next(row for row in rows if row.pk == delegation.pk)
        delegation.path = link_path(delegation)
        return render(
            request,
            "meetings/manage/delegations.html#attendance_update",
            {
                "meeting": meeting,
                "delegation": delegation,
                "attendances": Attendance.choices,
                "present": sum(row.is_present for row in rows),
                "online": sum(row.is_online for row in rows),
                "total": len(rows),
            },
        )
    return redirect(f"{reverse('meetings:delegations', args=[slug])}#delegation-{delegation.pk}")


@manage_required
@require_POST
def delegation_link(request, slug):
    meeting = managed_meeting(slug)
    chosen = parsed(DelegationLinkForm, request.POST).cleaned_data
    delegation = delegation_of(meeting, chosen["delegation"])
    if chosen["action"] == "revoke":
        delegations.revoke_link(delegation, by=request.user)
        messages.success(request, _("The floor link is revoked: it no longer opens anything."))
    else:
        delegations.new_link(delegation, by=request.user)
        messages.success(request, _("A new floor link is issued; the old one no longer works."))
    return redirect(f"{reverse('meetings:delegations', args=[slug])}#delegation-{delegation.pk}")


@manage_required
@require_safe
def delegation_links(request, slug):
    """Every delegation's code, name and full floor link, for the secretariat's own mail."""
    meeting = managed_meeting(slug)
    rows = [[_("Code"), _("Delegation"), _("Floor link")]]
    rows += delegations.link_rows(meeting_delegations(meeting), issue_missing=False)
    return csv_response(f"{meeting.slug}-delegation-links.csv", rows)
