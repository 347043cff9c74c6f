"""The AV desk's webhooks, on the secretariat's AV desk API page (meetings.views.api_tokens):
add an endpoint (its secret shown once, on the answer), switch it on or off, send it a test
event, remove it. Sending is the worker's (meetings.services.webhooks)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.common.requests import parsed, require_posted
from meetings.forms import WebhookChoiceForm, WebhookEnableForm, WebhookForm
from meetings.models import Meeting
from meetings.services import webhooks
from meetings.views.access import manage_required
from meetings.views.api_tokens import render_page


def back_to(slug: str, webhook_pk: int | None = None):
    anchor = f"#webhook-{webhook_pk}" if webhook_pk else "#webhooks"
    return redirect(reverse("meetings:api", args=[slug]) + anchor)


def chosen_webhook(request, slug: str, form_class=WebhookChoiceForm):
    meeting = get_object_or_404(Meeting, slug=slug)
    chosen = parsed(form_class, request.POST).cleaned_data
    return get_object_or_404(meeting.webhooks, pk=chosen["webhook"]), chosen


@manage_required
@never_cache
@require_POST
def webhook_add(request, slug):
    """The secret is in this answer only (no redirect), like a new token."""
    meeting = get_object_or_404(Meeting, slug=slug)
    form = WebhookForm(request.POST)
    require_posted(form)
    if not form.is_valid():
        return render_page(request, meeting, webhook_form=form)
    created = webhooks.add_webhook(meeting, form.cleaned_data["url"], by=request.user)
    return render_page(request, meeting, created_webhook=created)


@manage_required
@require_POST
def webhook_enable(request, slug):
    webhook, chosen = chosen_webhook(request, slug, WebhookEnableForm)
    webhooks.set_enabled(webhook, chosen["enabled"], by=request.user)
    if chosen["enabled"]:
        text = _("“%(url)s” is sent every turn's start and end.")
    else:
        text = _("“%(url)s” is sent nothing until it is enabled again.")
    messages.success(request, text % {"url": webhook.url})
    return back_to(slug, webhook.pk)


@manage_required
@require_POST
def webhook_test(request, slug):
    webhook, _chosen = chosen_webhook(request, slug)
    webhooks.send_test(webhook, by=request.user)
    messages.success(
        request,
        _("A test event is on its way to “%(url)s”: its delivery is listed below.")
        % {"url": webhook.url},
    )
    return back_to(slug, webhook.pk)


@manage_required
@require_POST
def webhook_remove(request, slug):
    webhook, _chosen = chosen_webhook(request, slug)
    url = webhook.url
    webhooks.remove_webhook(webhook, by=request.user)
    messages.success(request, _("“%(url)s” is removed: it is sent nothing more.") % {"url": url})
    return back_to(slug)
