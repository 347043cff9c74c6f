"""The meeting's record: the report page, its downloads, summaries, history and publication.

The secretariat sees the live record (notes included) and edits it; the public
sees the last published snapshot, or learns that none exists yet.
"""

import functools
import hashlib
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.common import shared_cache, text_diff
from config.common.formatting import grouped
from config.common.requests import parsed
from config.common.spreadsheets import csv_response
from mechanisms.models import Mechanism
from meetings.domain import coordination
from meetings.forms import ANSWER_HISTORY, HistoryQuery, InterventionSummaryForm, SummaryForm
from meetings.models import (
    NOTES_MAX_LENGTH,
    AnswerRevision,
    AnswerStatus,
    Intervention,
    RevisedText,
    TextRevision,
    Turn,
)
from meetings.outputs import timing_chart
from meetings.outputs.record import (
    agenda_of,
    beyond_the_rounds,
    build_record,
    coordination_by_mechanism,
    coordination_matrix,
    entry_order,
    following_entry,
    mechanisms_by_slug,
    people,
    record_version,
    rounds_by_number,
)
from meetings.outputs.record_csv import csv_rows
from meetings.outputs.record_docx import to_docx
from meetings.outputs.record_json import to_json
from meetings.outputs.record_markdown import to_markdown
from meetings.outputs.record_tables import (
    attendance,
    delegations_attendance,
    timing_by_intervention,
    timing_by_item,
    timing_by_round,
    timing_by_turn,
)
from meetings.outputs.record_text import (
    attendance_label,
    file_stem,
    item_heading,
    meeting_date,
    planned_time,
    publication_line,
    speaker_label,
)
from meetings.outputs.timing_chart import timing_svg
from meetings.roles import MANAGE_MEETINGS, PUBLISH_RECORD
from meetings.services import live_record, publication, revisions
from meetings.services.coordination import save_summary
from meetings.views.access import permission_needed
from meetings.views.public import public_meeting

manage_required = permission_needed(MANAGE_MEETINGS)
publish_required = permission_needed(PUBLISH_RECORD)

DOWNLOADS = {
    "json": ("application/json; charset=utf-8", "json"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


@require_safe
def report(request, slug):
    meeting = public_meeting(request, slug)
    staff_view = request.user.has_perm(MANAGE_MEETINGS) and request.GET.get("view") != "public"
    latest = publication.latest_publication(meeting, content=not staff_view)
    if staff_view:
        record, version = live_record.secretariat_record(meeting, latest)
    elif latest is not None:
        record = publication.published_record(latest, translation.get_language())
        version = None
    else:
        return render(request, "meetings/record_unpublished.html", {"meeting": meeting}, status=404)

    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return csv_response(f"{file_stem(record)}.csv", csv_rows(record))
    if fmt in DOWNLOADS:
        content_type, extension = DOWNLOADS[fmt]
        build = {"json": to_json, "md": to_markdown, "docx": to_docx}[fmt]
        if staff_view:  # the live record: built once for each version of it
            body = publication.record_file(record, version, fmt, build)
        else:  # a publication does not change: its files are built once (per language)
            body = publication.published_file(latest, translation.get_language(), fmt, build)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{file_stem(record)}.{extension}"'
        return response
    if fmt:
        raise Http404

    return render(
        request,
        "meetings/report.html",
        {
            "meeting": meeting,
            "record": record,
            "meeting_date": meeting_date(record),
            "published": publication_line(record),
            "staff_view": staff_view,
            "publication": latest,
            "body": report_body(request, meeting, record, version, staff_view=staff_view),
            # Downloads of what is shown: the published version stays the published version.
            "download_query": "view=public&" if not staff_view and request.GET.get("view") else "",
        },
    )


# The report's body (its contents, every item and round, coordination, timing, attendance) is
# the same for everyone who sees the same version of the record: at 200 panelists it is 0.8 MB
# of HTML and most of the page's time, so it is rendered once for each version, language and
# view (the secretariat's or the public's), and kept in the shared cache.
REPORT_BODY_SECONDS = 3600
BODY_TEMPLATE = "meetings/_report_body.html"


def report_body(
    request, meeting, record: dict, version: str | None, *, staff_view: bool
) -> SafeString:
    """`version`: the record's (`record_version`), when the caller knows it already."""
    version = version or record_version(record)
    parts = (meeting.slug, version, translation.get_language(), staff_view)
    key = "report-body:" + ":".join(map(str, (*parts, body_fingerprint())))
    body = shared_cache.get(key)
    if body is None:
        body = render_to_string(BODY_TEMPLATE, body_context(meeting, record, staff_view), request)
        shared_cache.set(key, body, REPORT_BODY_SECONDS)
    return mark_safe(body)  # noqa: S308 (an autoescaped template's output)


def body_context(meeting, record: dict, staff_view: bool) -> dict:
    whole_agenda = beyond_the_rounds(record)
    return {
        "meeting": meeting,
        "record": record,
        "sections": report_sections(record),
        "staff_view": staff_view,
        "matrix": coordination_matrix(record),
        "by_mechanism": coordination_by_mechanism(record),
        "timing_by_round": timing_by_round(record),
        "chart": timing_svg(record),  # an autoescaped template's markup
        "attendance": attendance(record),
        "timing_by_turn": timing_by_turn(record),
        # The whole agenda's parts: none for a meeting of rounds alone (or a record
        # published before agendas), whose page reads as it always did.
        "whole_agenda": whole_agenda,
        "timing_by_item": timing_by_item(record) if whole_agenda else [],
        "timing_by_intervention": timing_by_intervention(record),
        "delegations": delegations_attendance(record),
    }


@functools.cache
def body_fingerprint() -> str:
    """Of the code and templates that write the body: a deploy that changes them starts afresh."""
    sources = [__file__, timing_chart.__file__, get_template(BODY_TEMPLATE).origin.name]
    sources.append(get_template("meetings/_record_interventions.html").origin.name)
    digest = hashlib.sha256(b"".join(Path(path).read_bytes() for path in sources))
    return digest.hexdigest()[:12] + publication.exports_fingerprint()


def report_sections(record: dict) -> list[dict]:
    """The agenda items in order: a round with each entry's person, mechanism and coordination
    spelled out; every item with its interventions (who spoke, from where) and its heading."""
    rounds = {round_["number"]: round_ for round_ in round_sections(record)}
    by_number = rounds_by_number(record)
    sections = []
    for item in agenda_of(record):
        section = rounds[item["round"]] if item["round"] in by_number else {}
        section = {
            **section,
            "kind": item["kind"],
            "position": item["position"],
            "heading": item_heading(record, item),
            "planned_time": planned_time(item) if item["kind"] in ("dialogue", "other") else "",
            "interventions": [
                {
                    **intervention,
                    "label": speaker_label(intervention),
                    "attendance_label": attendance_label(intervention["attendance"]),
                }
                for intervention in item["interventions"]
            ],
        }
        sections.append(section)
    return sections


def round_sections(record: dict) -> list[dict]:
    """The rounds with each entry's person, mechanism and coordination spelled out."""
    persons, mechanisms = people(record), mechanisms_by_slug(record)
    return [
        {
            **round_,
            "entries": [
                {
                    **entry,
                    "person": persons[entry["panelist"]],
                    "mechanism_info": mechanisms[entry["mechanism"]],
                    "coordination_info": [
                        mechanisms[slug] for slug in entry["coordination"] if slug in mechanisms
                    ],
                }
                for entry in round_["entries"]
            ],
        }
        for round_ in record["rounds"]
    ]


def turn_of(slug: str, turn_id: int) -> Turn:
    return get_object_or_404(
        Turn.objects.select_related("meeting", "round", "panelist__mechanism"),
        pk=turn_id,
        meeting__slug=slug,
    )


def summary_context(turn: Turn, **extra) -> dict:
    text = (
        turn.summary
        + "\n"
        + "\n".join(
            answer.submitted_text for answer in turn.panelist.answers.filter(round=turn.round)
        )
        + "\n"
        + turn.notes
    )
    order = entry_order(build_record(turn.meeting, internal=True))  # for "Save and next"
    following = following_entry(order, turn.pk)
    answer = turn.panelist.answers.filter(round=turn.round, status=AnswerStatus.SUBMITTED).first()
    candidates = Mechanism.objects.exclude(pk=turn.panelist.mechanism_id)
    saved = {m.pk for m in turn.coordination.all()}
    posted = extra.pop("posted_chosen", None)
    return {
        "meeting": turn.meeting,
        "turn": turn,
        "mechanisms": candidates,
        "chosen": saved if posted is None else posted,  # after a refusal, their ticks stay
        "saved_coordination": [m for m in candidates if m.pk in saved],
        "coordination_seen": coordination.seen_text(saved),
        "suggested": set(
            coordination.suggest(
                text,
                [coordination.named(m) for m in candidates],
                own=turn.panelist.mechanism.slug,
            )
        ),
        "summary_limit": NOTES_MAX_LENGTH,
        "answer": answer,  # shown beside the box with the notes
        "entry_number": order.index(turn.pk) + 1 if turn.pk in order else None,
        "entry_count": len(order),
        "next_turn": turn_of(turn.meeting.slug, following) if following else None,
        **extra,
    }


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def summary_edit(request, slug, turn_id):
    turn = turn_of(slug, turn_id)
    if request.method in ("GET", "HEAD"):
        return render(request, "meetings/report_summary.html", summary_context(turn))

    values = parsed(SummaryForm, request.POST).cleaned_data
    text, chosen = values["summary"], set(values["coordination"])
    if len(text) > NOTES_MAX_LENGTH:
        error = _(
            "A summary holds at most %(limit)s characters; this one has %(length)s. Nothing was "
            "saved."
        ) % {"limit": grouped(NOTES_MAX_LENGTH), "length": grouped(len(text))}
        return render(
            request,
            "meetings/report_summary.html",
            summary_context(turn, error=error, posted_text=text),
        )
    saved = save_summary(
        turn,
        text,
        base_version=values["summary_version"],
        chosen=chosen,
        # None: a client that does not say what ticks it saw is not checked; our page says
        seen=values["coordination_seen"],
        by=request.user,
    )
    if saved.marked_meanwhile:  # the panelist ticked boxes meanwhile: theirs are shown
        return render(
            request,
            "meetings/report_summary.html",
            summary_context(
                turn, coordination_conflict=True, posted_text=text, posted_chosen=chosen
            ),
        )
    turn = saved.turn
    if saved.conflict:  # nothing of this form is applied: neither text nor coordination
        return render(
            request,
            "meetings/report_summary.html",
            summary_context(turn, conflict=saved.conflict, posted_text=text, posted_chosen=chosen),
        )
    messages.success(
        request,
        _("The summary of %(name)s is saved.") % {"name": turn.panelist.display_name},
    )
    if values["then"] == "next":  # "Save and next": the next entry, in record order
        order = entry_order(build_record(turn.meeting, internal=True))
        following = following_entry(order, turn.pk)
        if following is not None:
            return redirect("meetings:report_summary", slug=slug, turn_id=following)
    return redirect(f"/meetings/{slug}/report/#turn-{turn.pk}")


def intervention_of(slug: str, intervention_id: int) -> Intervention:
    return get_object_or_404(
        Intervention.objects.select_related("meeting", "item__round", "delegation__state"),
        pk=intervention_id,
        meeting__slug=slug,
    )


@manage_required
@require_http_methods(["GET", "HEAD", "POST"])
def intervention_summary_edit(request, slug, intervention_id):
    """The summary of a remarks speaker's, a delegation's or a point of order's intervention,
    written beside the notes taken live; a save over a newer version is kept aside and said."""
    intervention = intervention_of(slug, intervention_id)
    context = {"meeting": intervention.meeting, "intervention": intervention}
    if request.method in ("GET", "HEAD"):
        return render(request, "meetings/report_intervention_summary.html", context)
    values = parsed(InterventionSummaryForm, request.POST).cleaned_data
    text = values["summary"]
    if len(text) > NOTES_MAX_LENGTH:
        error = _(
            "A summary holds at most %(limit)s characters; this one has %(length)s. Nothing was "
            "saved."
        ) % {"limit": grouped(NOTES_MAX_LENGTH), "length": grouped(len(text))}
        return render(
            request,
            "meetings/report_intervention_summary.html",
            {**context, "error": error, "posted_text": text},
        )
    saved = revisions.save_text(
        intervention,
        RevisedText.SUMMARY,
        text,
        base_version=values["summary_version"],
        by=request.user,
    )
    if saved.conflict:
        return render(
            request,
            "meetings/report_intervention_summary.html",
            {**context, "intervention": saved.turn, "conflict": True, "posted_text": text},
        )
    messages.success(
        request, _("The summary of %(name)s is saved.") % {"name": intervention.speaker_label}
    )
    return redirect(f"/meetings/{slug}/report/#intervention-{intervention.pk}")


@manage_required
@require_safe
def history(request, slug, turn_id):
    turn = turn_of(slug, turn_id)
    query = HistoryQuery.of(request.GET)
    if not query.is_valid():
        raise Http404
    field = query.cleaned_data["field"]
    if field == ANSWER_HISTORY:
        # Every text the panelist saved or submitted for this round; theirs: nothing to restore.
        found = list(
            AnswerRevision.objects.filter(answer__panelist=turn.panelist, answer__round=turn.round)
        )
        label = _("Written answer")
    else:
        found = list(turn.revisions.filter(field=field).select_related("saved_by"))
        label = RevisedText(field).label
    by_id = {revision.pk: revision for revision in found}
    older, newer = by_id.get(query.cleaned_data["a"]), by_id.get(query.cleaned_data["b"])
    comparison = text_diff.compare(older.text, newer.text) if older and newer else None
    return render(
        request,
        "meetings/report_history.html",
        {
            "meeting": turn.meeting,
            "turn": turn,
            "field": field,
            "field_label": label,
            "answer_history": field == ANSWER_HISTORY,
            "revisions": found,
            "older": older,
            "newer": newer,
            "comparison": comparison,
        },
    )


@manage_required
@require_POST
def restore(request, slug, revision_id):
    revision = get_object_or_404(
        TextRevision.objects.select_related("turn__panelist"),
        pk=revision_id,
        turn__meeting__slug=slug,
    )
    revisions.restore(revision, by=request.user)
    messages.success(
        request, _("The earlier text is restored (and the current one kept in the history).")
    )
    return redirect(
        f"/meetings/{slug}/report/turns/{revision.turn_id}/history/?field={revision.field}"
    )


@publish_required
@require_POST
def publish(request, slug):
    meeting = public_meeting(request, slug)
    publication.publish(meeting, by=request.user)
    messages.success(request, _("The record is published: the public now sees this version."))
    return redirect("meetings:report", slug=meeting.slug)
