"""Pages anyone may open: the meetings, a meeting's page and its calendar file."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from config.common import fragments, shared_cache
from mechanisms.models import Mechanism
from meetings.models import Meeting, PanelistStatus
from meetings.outputs.calendar import meeting_calendar
from meetings.outputs.run_of_show import rounds_with_order, run_of_show
from meetings.roles import MANAGE_MEETINGS
from meetings.services.links import site_url
from meetings.services.publication import latest_publication


@require_safe
def home(request):
    meetings = list(Meeting.objects.public().select_related("convening_body"))
    now = timezone.now()
    # A concluded meeting has taken place, even if it ended before its scheduled time.
    ahead = [m for m in meetings if m.ends_at >= now and not m.is_concluded]
    upcoming = sorted(ahead, key=lambda m: m.starts_at)
    recent = [m for m in meetings if m not in ahead][:10]
    return render(
        request,
        "meetings/home.html",
        {"upcoming": upcoming, "recent": recent, "mechanism_count": Mechanism.objects.count()},
    )


def public_meeting(request, slug: str) -> Meeting:
    """A meeting the request may see: drafts only for those who manage meetings."""
    meetings = Meeting.objects.select_related("convening_body")
    if not request.user.has_perm(MANAGE_MEETINGS):
        meetings = meetings.public()
    return get_object_or_404(meetings, slug=slug)


@require_safe
def detail(request, slug):
    meeting = public_meeting(request, slug)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "body": detail_body(request, meeting),
            "publication": latest_publication(meeting),
        },
    )


# The meeting page's body (questions, panel, concept note, agenda) changes only with the
# meeting's live version, which every change to what it shows raises (meetings.live.signals):
# it is rendered once for each version, language and audience (the secretariat also sees which
# texts lack a translation), and kept in the shared cache.
BODY_TEMPLATE = "meetings/_detail_body.html"
BODY_SECONDS = 3600


def detail_body(request, meeting: Meeting) -> SafeString:
    user = request.user
    staff = user.is_staff or user.has_perm(MANAGE_MEETINGS)  # as translation_badge shows
    parts = (meeting.pk, meeting.live_version, translation.get_language(), staff)
    key = "meeting-page:" + ":".join(map(str, parts))
    key += ":" + fragments.templates_fingerprint(BODY_TEMPLATE, "meetings/run_of_show.html")
    body = shared_cache.get(key)
    if body is None:
        rounds = rounds_with_order(meeting)
        # Who declined is the secretariat's business, not the public's.
        panelists = meeting.panelists.exclude(status=PanelistStatus.DECLINED).select_related(
            "mechanism"
        )
        context = {
            "meeting": meeting,
            "rounds": rounds,
            "panelists": panelists,
            "run_of_show": run_of_show(meeting, rounds),
        }
        body = render_to_string(BODY_TEMPLATE, context, request)
        shared_cache.set(key, body, BODY_SECONDS)
    return mark_safe(body)  # noqa: S308 (an autoescaped template's output)


@require_safe
def calendar_file(request, slug):
    meeting = public_meeting(request, slug)
    response = HttpResponse(
        meeting_calendar(meeting, url=site_url(meeting.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    return redirect(static("favicon.svg"))
