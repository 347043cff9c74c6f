"""The meeting's record: what each mechanism answered and how the time was used.

`build_record` reads a meeting into one plain, JSON-ready dictionary (schema
below), in a fixed number of queries whatever the panel's size. Every output
(the report page, DOCX, Markdown, CSV, JSON) and the published snapshot are
made from that dictionary, so they always agree.

Schema "cam-meetings/record/2" (see the README; 1 had no agenda and no delegations):
    schema, language, generated_at, internal (notes included?), published_at, published_by,
    meeting {slug, title, date, start, end, time_zone, format, venue, chair,
             document_reference, convening_body, scheduled_start, scheduled_end},
    mechanisms [{slug, acronym, name, on_panel}],   (on the panel or named in coordination)
    panel [{id, mechanism, name, position, organisation, status, spoke,
            decline_reason?, substitute_for?}],   (? only when internal; who declined too)
    rounds [{number, title, question, speaking_seconds,
             entries [{turn, panelist, mechanism, position, status, answer, answer_submitted_at,
                       summary, notes?, coordination [slugs], allotted_seconds, used_seconds,
                       overtime_seconds, planned_start, planned_end, started_at, ended_at}]}],
    agenda [{position, kind, title, round (number | null), speaking_seconds, planned_seconds,
             actual_seconds, used_seconds, planned_start, planned_end, started_at, ended_at,
             interventions [{intervention, position, speaker, delegation (code | null),
                             point_of_order, source, attendance, status, summary, notes?,
                             allotted_seconds, used_seconds, overtime_seconds, requested_at,
                             started_at, ended_at}]}],
    delegations [{code, name, kind, attendance, interventions, points_of_order, used_seconds,
                  spoke}]   (the participating ones: present, or who spoke)
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext

from mechanisms.models import Mechanism
from meetings.domain.run_of_show import ItemKind as PlanKind
from meetings.domain.run_of_show import RunOfShowItem
from meetings.models import (
    AgendaItem,
    Answer,
    AnswerStatus,
    Attendance,
    Delegation,
    DelegationKind,
    Intervention,
    ItemKind,
    Meeting,
    Panelist,
    PanelistStatus,
    Round,
    Turn,
    TurnStatus,
)
from meetings.outputs.run_of_show import agenda_items, run_of_show
from meetings.roles import CHAIR

SCHEMA = "cam-meetings/record/2"


def iso(value: dt.datetime | None) -> str | None:
    return (
        value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        if value
        else None
    )


def build_record(meeting: Meeting, *, internal: bool, published=None) -> dict:
    """The record in the active language; `internal` adds the secretariat's raw notes."""
    now = timezone.now()
    rounds = rounds_in_live_order(meeting)
    answers = submitted_answers(meeting)
    agenda_list = meeting_agenda(meeting)
    plan = run_of_show(meeting, rounds, agenda_list).items
    slots = planned_slots(plan)
    participants = Participants()
    record_rounds = []
    for round_ in rounds:
        entries = []
        for turn in round_.turns.all():
            participants.add_turn(turn)
            answer = answers.get((turn.panelist_id, round_.pk))
            slot = slots.get((round_.number, turn.panelist_id))
            entries.append(turn_entry(turn, answer=answer, slot=slot, now=now, internal=internal))
        record_rounds.append(round_entry(round_, entries))
    interventions = interventions_by_item(meeting)
    agenda = agenda_entries(
        agenda_list,
        interventions,
        record_rounds,
        item_slots(plan),
        now=now,
        internal=internal,
    )
    if internal:  # who declined stays in the secretariat's attendance, never in the public's
        for panelist in meeting.panelists.filter(status=PanelistStatus.DECLINED).select_related(
            "mechanism"
        ):
            participants.add_declined(panelist)
    return {
        "schema": SCHEMA,
        "language": get_language(),
        "generated_at": iso(now),
        "internal": internal,
        "published_at": iso(published.published_at) if published else None,
        "published_by": publisher_name(published.published_by) if published else None,
        "meeting": meeting_entry(meeting),
        "mechanisms": participants.mechanism_entries(),
        "panel": participants.panel_entries(internal=internal),
        "rounds": record_rounds,
        "agenda": agenda,
        "delegations": delegation_entries(meeting, interventions, now=now),
    }


def record_version(record: dict) -> str:
    """A digest of everything the record says but the moment it was read: two records with
    the same version make the same page and the same files."""
    said = {key: value for key, value in record.items() if key != "generated_at"}
    text = json.dumps(said, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def rounds_in_live_order(meeting: Meeting) -> list[Round]:
    """The meeting's rounds with their turns in the live order (the turns of panelists who
    declined are not part of the rounds), each with its panelist, mechanism and coordination."""
    rounds = list(
        Round.objects.filter(meeting=meeting)
        .select_related("agenda_item")  # a turn's place in the session is its item's
        .order_by("number")
        .prefetch_related(Prefetch("turns", queryset=Turn.objects.in_live_order()))
    )
    # Each panelist read once for all their turns, and what each turn proposes in one query:
    # joined to each turn, they made most of the record's time at 200 panelists.
    panel = Panelist.objects.filter(meeting=meeting).select_related("mechanism").in_bulk()
    proposed = coordination_by_turn(meeting)
    for round_ in rounds:
        for turn in round_.turns.all():
            turn.panelist = panel[turn.panelist_id]
            turn.proposed = proposed.get(turn.pk, [])
    return rounds


def coordination_by_turn(meeting: Meeting) -> dict[int, list[Mechanism]]:
    """The mechanisms each turn proposes to coordinate with, in two queries: a prefetch of the
    many-to-many builds a manager and a queryset for every turn, which cost more than the
    rest of the record at 200 panelists."""
    named = Mechanism.objects.filter(coordination_proposals__meeting=meeting).distinct()
    mechanisms = {mechanism.pk: mechanism for mechanism in named}
    pairs = Turn.coordination.through.objects.filter(turn__meeting=meeting)
    found: dict[int, list[Mechanism]] = {}
    for turn, mechanism in pairs.values_list("turn_id", "mechanism_id"):
        found.setdefault(turn, []).append(mechanisms[mechanism])
    return found


def submitted_answers(meeting: Meeting) -> dict[tuple[int, int], Answer]:
    """The submitted answers by (panelist, round); drafts never reach the record."""
    return {
        (answer.panelist_id, answer.round_id): answer
        for answer in Answer.objects.filter(round__meeting=meeting, status=AnswerStatus.SUBMITTED)
    }


def planned_slots(plan: list[RunOfShowItem]) -> dict[tuple[int, int], RunOfShowItem]:
    """Each turn's slot in the run of show, by (round number, panelist)."""
    return {
        (line.round_number, line.speaker.pk): line for line in plan if line.kind == PlanKind.TURN
    }


def item_slots(plan: list[RunOfShowItem]) -> dict[int, RunOfShowItem]:
    """Each agenda item's slot in the run of show, by its id."""
    return {
        line.item.pk: line
        for line in plan
        if line.kind in (PlanKind.ROUND, PlanKind.ITEM) and line.item is not None
    }


def turn_entry(
    turn: Turn,
    *,
    answer: Answer | None,
    slot: RunOfShowItem | None,
    now: dt.datetime,
    internal: bool,
) -> dict:
    """One place in a round's live order: who, their answer and the summary (and the notes when
    `internal`), whom they propose to coordinate with, and the time planned, allotted and used."""
    allotted = turn.allotted_seconds
    used = round(turn.to_clock().spent(now))  # a running turn counts until now
    entry = {
        "turn": turn.pk,
        "panelist": turn.panelist.pk,
        "mechanism": turn.panelist.mechanism.slug,
        "position": turn.position,
        "status": turn.status,
        "answer": answer.submitted_text if answer else "",
        "answer_submitted_at": iso(answer.submitted_at) if answer else None,
        "summary": turn.summary,
        "coordination": sorted(m.slug for m in turn.proposed),
        "allotted_seconds": allotted,
        "used_seconds": used,
        "overtime_seconds": max(used - allotted, 0),
        "planned_start": iso(slot.starts_at) if slot else None,
        "planned_end": iso(slot.ends_at) if slot else None,
        "started_at": iso(turn.started_at),
        "ended_at": iso(turn.ended_at),
    }
    if internal:
        entry["notes"] = turn.notes
    return entry


def round_entry(round_: Round, entries: list[dict]) -> dict:
    return {
        "number": round_.number,
        "title": round_.title,
        "question": round_.question,
        "speaking_seconds": round_.speaking_seconds,
        "entries": entries,
    }


def meeting_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order as the run of show reads it (remarks with their named speakers),
    each item with its round and its meeting (a speaker's time falls back to the meeting's)."""
    items = agenda_items(meeting)
    for item in items:
        item.meeting = meeting
    return sorted(items, key=lambda item: item.position)


def interventions_by_item(meeting: Meeting) -> dict[int, list[Intervention]]:
    """Every intervention of the meeting (remarks, the dialogue's, points of order) by agenda
    item, in the item's order, each with its delegation."""
    found: dict[int, list[Intervention]] = {}
    for intervention in (
        Intervention.objects.filter(meeting=meeting)
        .select_related("delegation__state")
        .order_by("position", "pk")
    ):
        found.setdefault(intervention.item_id, []).append(intervention)
    return found


def intervention_entry(intervention: Intervention, *, now: dt.datetime, internal: bool) -> dict:
    """One speaker's time in a remarks or dialogue item (or a point of order in any item): who,
    from where, the summary (and the notes when `internal`), the time allotted and used."""
    allotted = intervention.allotted_seconds
    used = seconds_used(intervention, now)
    delegation = intervention.delegation
    entry = {
        "intervention": intervention.pk,
        "position": intervention.position,
        "speaker": str(intervention.speaker_label),
        "delegation": delegation.code if delegation else None,
        "point_of_order": intervention.point_of_order,
        "source": intervention.source,
        "attendance": Attendance.ONLINE if intervention.is_online else Attendance.IN_ROOM,
        "status": intervention.status,
        "summary": intervention.summary,
        "allotted_seconds": allotted,
        "used_seconds": used,
        "overtime_seconds": max(used - allotted, 0),
        "requested_at": iso(intervention.requested_at),
        "started_at": iso(intervention.started_at),
        "ended_at": iso(intervention.ended_at),
    }
    if internal:
        entry["notes"] = intervention.notes
    return entry


def seconds_used(intervention: Intervention, now: dt.datetime) -> int:
    """The time on its clock, pauses left out (still running: until `now`)."""
    since = intervention.running_since
    running = max((now - since).total_seconds(), 0) if since else 0
    return round(intervention.spent_seconds + running)


def agenda_entries(
    items: list[AgendaItem],
    interventions: dict[int, list[Intervention]],
    rounds: list[dict],
    slots: dict[int, RunOfShowItem],
    *,
    now: dt.datetime,
    internal: bool,
) -> list[dict]:
    """Every agenda item in order with its interventions and its time, planned (its slot in
    the run of show) and actual (a round's speakers are its entries in `rounds`)."""
    by_number = {round_["number"]: round_ for round_ in rounds}
    entries = []
    previous_end = None
    for item in items:
        for intervention in interventions.get(item.pk, []):
            intervention.item = item  # its speaking time is its item's: no query each
        spoken = [
            intervention_entry(intervention, now=now, internal=internal)
            for intervention in interventions.get(item.pk, [])
        ]
        round_ = by_number.get(item.round.number) if item.round_id else None
        entry = item_entry(
            item, spoken, round_, slots.get(item.pk), previous_end=previous_end, now=now
        )
        entries.append(entry)
        previous_end = entry["ended_at"]
    return entries


def item_entry(
    item: AgendaItem,
    interventions: list[dict],
    round_: dict | None,
    slot: RunOfShowItem | None,
    *,
    previous_end: str | None,
    now: dt.datetime,
) -> dict:
    """An agenda item: what it is, its speakers, and its time.

    Planned: its slot in the run of show (remarks: their speakers' time with the changeovers;
    a round: its panel's; a dialogue or a break: its planned minutes). Actual: from
    its first speaker's start (a dialogue or a break: from the end of the item before it) to
    the end of its last speaker (remarks, rounds) or to when the chair closed it; `used` adds up
    its speakers' clocks."""
    turns = [*(round_["entries"] if round_ else []), *interventions]
    if item.kind in (ItemKind.REMARKS, ItemKind.ROUND):
        started = earliest(t["started_at"] for t in turns)
        over = bool(turns) and all(t["status"] in DONE_STATUSES for t in turns)
        ended = iso(item.closed_at) or (latest(t["ended_at"] for t in turns) if over else None)
    else:
        started = previous_end or earliest(t["started_at"] for t in turns)
        ended = iso(item.closed_at)
    return {
        "position": item.position,
        "kind": item.kind,
        "title": str(item.heading),
        "round": item.round.number if item.round_id else None,
        "speaking_seconds": item.speaker_seconds if item.kind != ItemKind.OTHER else None,
        "planned_seconds": round(slot.duration.total_seconds()) if slot else 0,
        "actual_seconds": elapsed_seconds(started, ended, now) if started else None,
        "used_seconds": sum(t["used_seconds"] for t in turns),
        "planned_start": iso(slot.starts_at) if slot else None,
        "planned_end": iso(slot.ends_at) if slot else None,
        "started_at": started,
        "ended_at": ended,
        "interventions": interventions,
    }


DONE_STATUSES = (TurnStatus.FINISHED, TurnStatus.SKIPPED)


def elapsed_seconds(start: str, end: str | None, now: dt.datetime) -> int:
    """Whole seconds from one of the record's instants to another (to `now` while under way)."""
    until = dt.datetime.fromisoformat(end.replace("Z", "+00:00")) if end else now
    begun = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
    return max(round((until - begun).total_seconds()), 0)


def delegation_entries(
    meeting: Meeting, interventions: dict[int, list[Intervention]], *, now: dt.datetime
) -> list[dict]:
    """The participating delegations (present in the room or online, and any that spoke), by
    kind then name: their attendance, the interventions they made and the time they used."""
    given: dict[int, list[Intervention]] = {}
    for found in interventions.values():
        for intervention in found:
            if intervention.delegation_id is not None and intervention.started_at is not None:
                given.setdefault(intervention.delegation_id, []).append(intervention)
    delegations = Delegation.objects.filter(meeting=meeting).filter(
        ~Q(attendance=Attendance.ABSENT) | Q(pk__in=list(given))
    )
    entries = []
    for delegation in delegations.select_related("state"):
        spoken = given.get(delegation.pk, [])
        entries.append(
            {
                "code": delegation.code,
                "name": str(delegation.display_name),
                "kind": delegation.kind,
                "attendance": delegation.attendance,
                "interventions": len(spoken),
                "points_of_order": sum(1 for i in spoken if i.point_of_order),
                "used_seconds": sum(seconds_used(i, now) for i in spoken),
                "spoke": bool(spoken),
            }
        )
    kinds = list(DelegationKind.values)
    return sorted(entries, key=lambda e: (kinds.index(e["kind"]), e["name"].casefold()))


def meeting_entry(meeting: Meeting) -> dict:
    """The meeting's facts: title, reference, date and times (local and UTC), format, venue,
    chair and convening body."""
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "document_reference": meeting.document_reference,
        "date": meeting.date.isoformat(),
        "start": meeting.start_time.strftime("%H:%M"),
        "end": meeting.end_time.strftime("%H:%M"),
        "time_zone": meeting.time_zone,
        "scheduled_start": iso(meeting.starts_at),
        "scheduled_end": iso(meeting.ends_at),
        "format": meeting.get_format_display(),
        "venue": meeting.venue,
        "chair": meeting.chair,
        "convening_body": meeting.convening_body.name if meeting.convening_body else "",
    }


@dataclass
class Participants:
    """Who the record names, gathered as its turns are read: each panelist and whether they
    spoke, the mechanisms with a seat, and those the answers propose to coordinate with."""

    panelists: dict[int, dict] = field(default_factory=dict)  # {"panelist", "spoke"} by id
    on_panel: dict[str, Mechanism] = field(default_factory=dict)
    named: dict[str, Mechanism] = field(default_factory=dict)

    def add_turn(self, turn: Turn) -> None:
        panelist = turn.panelist
        self.on_panel[panelist.mechanism.slug] = panelist.mechanism
        seat = self.panelists.setdefault(panelist.pk, {"panelist": panelist, "spoke": False})
        seat["spoke"] |= turn.started_at is not None
        for other in turn.proposed:
            self.named[other.slug] = other

    def add_declined(self, panelist: Panelist) -> None:
        """A panelist with no place in the rounds, for the secretariat's attendance."""
        self.panelists.setdefault(panelist.pk, {"panelist": panelist, "spoke": False})
        self.on_panel.setdefault(panelist.mechanism.slug, panelist.mechanism)

    def mechanism_entries(self) -> list[dict]:
        """The mechanisms on the panel or named in coordination, in directory order."""
        ordered = sorted(
            {**self.named, **self.on_panel}.values(), key=lambda m: (m.position, m.acronym_en)
        )
        return [
            {
                "slug": m.slug,
                "acronym": m.acronym,
                "name": m.name,
                "on_panel": m.slug in self.on_panel,
            }
            for m in ordered
        ]

    def panel_entries(self, *, internal: bool) -> list[dict]:
        """The panelists by mechanism in directory order, then in the order they were added."""
        seats = sorted(
            self.panelists.values(),
            key=lambda seat: (seat["panelist"].mechanism.position, seat["panelist"].pk),
        )
        return [
            panel_entry(seat["panelist"], spoke=seat["spoke"], internal=internal) for seat in seats
        ]


def panel_entry(panelist: Panelist, *, spoke: bool, internal: bool) -> dict:
    entry = {
        "id": panelist.pk,
        "mechanism": panelist.mechanism.slug,
        "name": panelist.display_name,
        "honorific": panelist.honorific,
        "position": panelist.position,
        "organisation": panelist.organisation,
        "status": panelist.status,
        "spoke": spoke,
        "attendance": panelist.attendance,
    }
    if internal:  # the secretariat's: who declined and why, and whom a substitute replaced
        entry["decline_reason"] = panelist.decline_reason
        entry["substitute_for"] = panelist.substitute_for_id
    return entry


def publisher_name(user) -> str | None:
    """Who published, as anyone may read it: their full name, else their role (Chair,
    Secretariat), in the active language; never the user name they sign in with."""
    if user is None:
        return None
    full_name = user.get_full_name().strip()
    if full_name:
        return full_name
    if user.groups.filter(name=CHAIR).exists():
        return pgettext("the role that published the record", "Chair")
    return pgettext("the role that published the record", "Secretariat")


def without_declined(record: dict) -> dict:
    """The record less the panelists who declined the invitation and never spoke, as the
    public reads it (the meeting's page hides them too): their seats, their entries in each
    round (the others' positions closing up) and a mechanism that only they sat for. The
    secretariat's own record keeps them."""
    declined = {
        person["id"]
        for person in record["panel"]
        if person["status"] == PanelistStatus.DECLINED and not person["spoke"]
    }
    panel = [person for person in record["panel"] if person["id"] not in declined]
    rounds = [
        {
            **round_,
            "entries": [
                {**entry, "position": position}
                for position, entry in enumerate(
                    (e for e in round_["entries"] if e["panelist"] not in declined), start=1
                )
            ],
        }
        for round_ in record["rounds"]
    ]
    on_panel = {person["mechanism"] for person in panel}
    named = {slug for r in rounds for entry in r["entries"] for slug in entry["coordination"]}
    mechanisms = [
        {**mechanism, "on_panel": mechanism["slug"] in on_panel}
        for mechanism in record["mechanisms"]
        if mechanism["slug"] in on_panel | named
    ]
    return {**record, "mechanisms": mechanisms, "panel": panel, "rounds": rounds}


# What the outputs derive from a record --------------------------------------------------------


def entry_order(record: dict) -> list[int]:
    """The turns of the record's entries in the record's order: by round, then position (the
    order in which the secretariat writes the summaries with "Save and next")."""
    return [entry["turn"] for round_ in record["rounds"] for entry in round_["entries"]]


def following_entry(order: list[int], turn_id: int) -> int | None:
    """The turn after this one in `entry_order`, None after the last (or for a turn not
    listed)."""
    if turn_id not in order:
        return None
    index = order.index(turn_id) + 1
    return order[index] if index < len(order) else None


def people(record: dict) -> dict[int, dict]:
    return {person["id"]: person for person in record["panel"]}


def mechanisms_by_slug(record: dict) -> dict[str, dict]:
    return {mechanism["slug"]: mechanism for mechanism in record["mechanisms"]}


def panel_mechanisms(record: dict) -> list[dict]:
    return [m for m in record["mechanisms"] if m["on_panel"]]


def coordination_matrix(record: dict) -> list[tuple[dict, list[int]]]:
    """Rows: the mechanisms on the panel, proposing; columns: every mechanism named (in
    record["mechanisms"] order); cells: how many answers."""
    order = [m["slug"] for m in record["mechanisms"]]
    counts = {(a["slug"], b): 0 for a in panel_mechanisms(record) for b in order}
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            for other in entry["coordination"]:
                if (entry["mechanism"], other) in counts:
                    counts[entry["mechanism"], other] += 1
    return [
        (mechanism, [counts[mechanism["slug"], other] for other in order])
        for mechanism in panel_mechanisms(record)
    ]


def coordination_by_mechanism(record: dict) -> list[tuple[dict, list[dict], list[dict]]]:
    """Each mechanism with those it proposes to work with and those that propose it."""
    by_slug = mechanisms_by_slug(record)
    proposes: dict[str, set[str]] = {slug: set() for slug in by_slug}
    proposed_by: dict[str, set[str]] = {slug: set() for slug in by_slug}
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            for other in entry["coordination"]:
                if other in by_slug:
                    proposes[entry["mechanism"]].add(other)
                    proposed_by[other].add(entry["mechanism"])
    order = list(by_slug)
    return [
        (
            by_slug[slug],
            [by_slug[s] for s in order if s in proposes[slug]],
            [by_slug[s] for s in order if s in proposed_by[slug]],
        )
        for slug in order
        if proposes[slug] or proposed_by[slug] or by_slug[slug]["on_panel"]
    ]


def earliest(values) -> str | None:
    """The first of some UTC timestamps ("...Z" strings sort as the instants do)."""
    return min(filter(None, values), default=None)


def latest(values) -> str | None:
    return max(filter(None, values), default=None)


def timing(record: dict) -> dict:
    """Per round and for the meeting: allotted, used, overtime (seconds, of the turns given),
    and planned against actual start and end (UTC timestamps, None when there is none).

    A round is planned from its first planned turn's start to its last one's end, and ran
    from its first turn's start to its last turn's end; the meeting spans its rounds. (An
    entry of a record published before planned ends were kept has none.)"""
    rounds = []
    for round_ in record["rounds"]:
        spoken = [entry for entry in round_["entries"] if entry["started_at"]]
        rounds.append(
            {
                "number": round_["number"],
                "allotted": sum(entry["allotted_seconds"] for entry in spoken),
                "used": sum(entry["used_seconds"] for entry in spoken),
                "overtime": sum(entry["overtime_seconds"] for entry in spoken),
                "speakers": len(spoken),
                "planned_start": earliest(e["planned_start"] for e in round_["entries"]),
                "planned_end": latest(e.get("planned_end") for e in round_["entries"]),
                "started_at": earliest(e["started_at"] for e in spoken),
                "ended_at": latest(e["ended_at"] for e in spoken),
            }
        )
    return {
        "rounds": rounds,
        "allotted": sum(r["allotted"] for r in rounds),
        "used": sum(r["used"] for r in rounds),
        "overtime": sum(r["overtime"] for r in rounds),
        "speakers": sum(r["speakers"] for r in rounds),
        "planned_start": earliest(r["planned_start"] for r in rounds),
        "planned_end": latest(r["planned_end"] for r in rounds),
        "started_at": earliest(r["started_at"] for r in rounds),
        "ended_at": latest(r["ended_at"] for r in rounds),
    }


def agenda_of(record: dict) -> list[dict]:
    """The record's agenda items in order; a record made before agendas (schema 1, a snapshot
    published then) as its rounds alone."""
    if "agenda" in record:
        return record["agenda"]
    return [
        {"position": index, "kind": ItemKind.ROUND, "round": round_["number"], "interventions": []}
        for index, round_ in enumerate(record["rounds"], start=1)
    ]


def rounds_by_number(record: dict) -> dict[int, dict]:
    return {round_["number"]: round_ for round_ in record["rounds"]}


def all_interventions(record: dict):
    """Every (item, intervention) in the agenda's order."""
    for item in agenda_of(record):
        for intervention in item["interventions"]:
            yield item, intervention


def beyond_the_rounds(record: dict) -> bool:
    """Whether the agenda holds more than the rounds (remarks, a dialogue, a break, a point of
    order): a record made before agendas, or of a meeting of rounds alone, shows the rounds as
    it always has."""
    return any(
        item["kind"] != ItemKind.ROUND or item["interventions"] for item in agenda_of(record)
    ) or bool(record.get("delegations"))
