"""The outbox: every email the application sent or will send, for the secretariat to read.

Filtered by meeting, kind, status and recipient; each email opens as it was sent, and can be
sent again. A click that asked for many emails shows their progress (`sending_progress`, an
htmx partial that polls until the worker is done).
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from meetings.models import Email, EmailKind, EmailStatus, Meeting
from meetings.services import outbox
from meetings.views.access import manage_required

PAGE_SIZE = 50


class OutboxFilter(forms.Form):
    meeting = forms.ModelChoiceField(
        Meeting.objects.order_by("-date"),
        required=False,
        to_field_name="slug",
        label=gettext_lazy("Meeting"),
        empty_label=gettext_lazy("All meetings"),
    )
    kind = forms.ChoiceField(
        choices=[("", gettext_lazy("All kinds")), *EmailKind.choices],
        required=False,
        label=gettext_lazy("Kind"),
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *EmailStatus.choices],
        required=False,
        label=gettext_lazy("Status"),
    )
    to = forms.CharField(required=False, max_length=254, label=gettext_lazy("Recipient"))
    batch = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kind = "form-control" if name == "to" else "form-select"
            field.widget.attrs["class"] = f"{kind} {kind}-sm"

    def emails(self):
        emails = Email.objects.select_related("meeting", "panelist", "delegation")
        if not self.is_valid():
            return emails.none()
        chosen = self.cleaned_data
        if chosen["meeting"]:
            emails = emails.filter(meeting=chosen["meeting"])
        if chosen["kind"]:
            emails = emails.filter(kind=chosen["kind"])
        if chosen["status"]:
            emails = emails.filter(status=chosen["status"])
        if chosen["batch"]:
            emails = emails.filter(batch=chosen["batch"])
        if chosen["to"]:
            emails = emails.filter(to__icontains=chosen["to"].strip())
        return emails


@manage_required
@require_safe
def outbox_page(request):
    chosen = OutboxFilter(request.GET)
    page = Paginator(chosen.emails(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/outbox/list.html",
        {"filter": chosen, "page": page, "query": query.urlencode()},
    )


@manage_required
@require_safe
def email_page(request, pk):
    email = get_object_or_404(Email.objects.select_related("meeting", "created_by"), pk=pk)
    return render(
        request,
        "meetings/outbox/email.html",
        {"email": email, "withheld": email.kind == EmailKind.PASSWORD_RESET},
    )


@manage_required
@require_POST
def email_resend(request, pk):
    email = get_object_or_404(Email, pk=pk)
    if email.kind == EmailKind.PASSWORD_RESET:
        # Its link is the account owner's to ask for again, not staff's to send.
        messages.error(request, _("A password reset is asked for again by its owner."))
        return redirect("outbox:email", pk=email.pk)
    again = outbox.resend(email, by=request.user)
    messages.success(
        request,
        _("Queued again for %(to)s: it goes out in a moment.") % {"to": again.to},
    )
    return redirect("outbox:email", pk=again.pk)


def sending_shown(request) -> dict:
    """The progress of the emails just queued, when the page was opened to show it."""
    try:
        batch = uuid.UUID(request.GET.get("sending", ""))
    except ValueError:
        return {}
    return {"sending": batch, "sending_progress": outbox.progress(batch)}


@manage_required
@require_safe
def sending_progress(request, batch):
    progress = outbox.progress(batch)
    response = render(
        request, "meetings/outbox/progress.html", {"batch": batch, "progress": progress}
    )
    if progress.done and request.htmx:
        # The page around it (each panelist's email status, who is invited) changed too.
        response["HX-Refresh"] = "true"
    return response
