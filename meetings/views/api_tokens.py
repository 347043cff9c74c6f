"""The secretariat's page of a meeting's API tokens: the AV desk's devices that may drive the
clock (meetings.views.api). A token is shown once, on the answer to its creation: the
database keeps only its digest."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from config.common.requests import parsed, require_posted
from meetings.forms import ApiTokenForm, ApiTokenRevokeForm, WebhookForm
from meetings.models import Meeting
from meetings.services import api_tokens, webhooks
from meetings.services.links import site_url
from meetings.views.access import manage_required


def render_page(
    request,
    meeting: Meeting,
    *,
    form=None,
    created=None,
    webhook_form=None,
    created_webhook=None,
    status: int = 200,
):
    """The page: the tokens and the webhooks; a token or a webhook's secret just created,
    shown this once."""
    context = {
        "meeting": meeting,
        "tokens": meeting.api_tokens.select_related("created_by"),
        "form": form or ApiTokenForm(),
        "api_url": site_url(f"/api/meetings/{meeting.slug}/"),
        "webhooks": webhooks.webhooks_of(meeting),
        "webhook_form": webhook_form or WebhookForm(),
    }
    # while a delivery is on its way, the list follows it (htmx, the page's one use of it)
    context["polling"] = webhooks.any_waiting(context["webhooks"])
    if created is not None:
        context["created"], context["token"] = created
        context["examples"] = curl_examples(created[1], context["api_url"])
    if created_webhook is not None:
        context["created_webhook"], context["secret"] = created_webhook
    return render(request, "meetings/manage/api_tokens.html", context, status=status)


def curl_examples(token: str, api_url: str) -> list[str]:
    """The token at work, ready to paste: start, pause, next, a minute more, a message."""
    post = f'curl -X POST -H "Authorization: Bearer {token}" '
    return [
        *(f"{post}{api_url}actions/{action}/" for action in ("start", "pause", "next")),
        f"{post}{api_url}actions/add_minute/",
        f'{post}--data-urlencode "text=One minute left" {api_url}actions/message/',
        f'curl -H "Authorization: Bearer {token}" {api_url}state/',
    ]


@manage_required
@never_cache
@require_safe
def api_page(request, slug):
    return render_page(request, get_object_or_404(Meeting, slug=slug))


@manage_required
@never_cache
@require_POST
def token_add(request, slug):
    """The new token is in this answer only (no redirect: a page that shows it again would
    need it stored)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    form = ApiTokenForm(request.POST)
    require_posted(form)
    if not form.is_valid():
        return render_page(request, meeting, form=form)
    created = api_tokens.create_token(meeting, form.cleaned_data["name"], by=request.user)
    return render_page(request, meeting, created=created)


@manage_required
@require_POST
def token_revoke(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    chosen = parsed(ApiTokenRevokeForm, request.POST).cleaned_data
    row = get_object_or_404(meeting.api_tokens, pk=chosen["token"])
    api_tokens.revoke_token(row, by=request.user)
    messages.success(
        request, _("The token “%(name)s” is revoked: it opens nothing.") % {"name": row.name}
    )
    return redirect(reverse("meetings:api", args=[slug]))
