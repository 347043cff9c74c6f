"""The secretariat's side of the convocation: the list of participants (each delegation's
answer and representatives, then the panel), on screen, on paper and as CSV; and the
convocation sent to the delegations."""

import uuid

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from config.common.spreadsheets import csv_response
from meetings.models import Meeting
from meetings.services import convocation
from meetings.views.access import manage_required


def managed_meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


@manage_required
@require_safe
def participants_page(request, slug):
    meeting = managed_meeting(slug)
    listed = convocation.participants(meeting)
    return render(
        request,
        "meetings/manage/participants.html",
        {
            "meeting": meeting,
            "listed": listed,
            "in_room": listed.count("in_room"),
            "online": listed.count("online"),
            "not_attending": listed.count("not_attending"),
            "panelists": meeting.panelists.select_related("mechanism").order_by(
                "mechanism__position", "pk"
            ),
        },
    )


@manage_required
@require_safe
def participants_csv(request, slug):
    meeting = managed_meeting(slug)
    return csv_response(f"{meeting.slug}-participants.csv", convocation.participant_rows(meeting))


def convened(meeting: Meeting):
    """The meeting's delegations with where their convocation goes, in the list's order."""
    rows = convocation.participants(meeting).delegations
    return [row for row in rows if row.email_addresses], [
        row for row in rows if not row.email_addresses
    ]


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def convene_page(request, slug):
    """Who the convocation goes to, and the email in each language it goes out in; sent, the
    Delegations page follows the emails on their way. Pressed twice, it queues nothing more."""
    meeting = managed_meeting(slug)
    recipients, without = convened(meeting)
    if request.method == "POST":
        batch = uuid.uuid4()
        queued = convocation.convene(meeting, recipients, by=request.user, batch=batch)
        if not queued:
            messages.info(
                request, _("The convocation had already been sent: nothing more was queued.")
            )
            return redirect("meetings:delegations", slug=meeting.slug)
        messages.success(
            request,
            ngettext(
                "The convocation is queued: %(count)d email.",
                "The convocation is queued: %(count)d emails.",
                queued,
            )
            % {"count": queued},
        )
        return redirect(f"{reverse('meetings:delegations', args=[slug])}?sending={batch}")
    return render(
        request,
        "meetings/manage/convene.html",
        {
            "meeting": meeting,
            "recipients": recipients,
            "addresses": sum(len(row.email_addresses) for row in recipients),
            "without_addresses": without,
            "versions": convocation.versions(recipients),
            "can_send": True,
        },
    )
