"""The timing chart: one horizontal bar per turn given, time used against time allotted: the
panel's in the rounds, then the interventions (remarks, points of order, the dialogue's
delegations) in the agenda's order; as SVG from the template meetings/record/chart.svg
(autoescaped: SVG is XML, and Django's HTML escaping is valid XML escaping)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.common.formatting import minutes_seconds
from meetings.outputs.docx_blocks import shortened
from meetings.outputs.record import all_interventions
from meetings.outputs.record_text import entries

# In SVG user units: the labels' column, the longest bar, one row.
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 190, 520, 26


def timing_svg(record: dict) -> str:
    """The chart of the turns that were given, as SVG markup; "" when nobody has spoken."""
    given = [(label, entry) for label, entry in chart_rows(record) if entry["started_at"]]
    if not given:
        return ""
    height = ROW_HEIGHT * len(given) + 30
    context = {
        "width": str(LABEL_WIDTH + BAR_WIDTH + 90),
        "height": str(height),
        "label_width": str(LABEL_WIDTH),
        "title": _("Time used by each speaker against the time allotted"),
        "bars": chart_bars(given),
        "legend": _("Green: time used within the allotment; red: overtime; dashed: allotted."),
        "legend_y": str(height - 8),
    }
    return render_to_string("meetings/record/chart.svg", context)


def chart_rows(record: dict) -> list[tuple[str, dict]]:
    """Every turn with its label: "R1 · RCM" for a panelist's in a round; then "3 · MX" for a
    delegation's intervention in item 3, "1 · Chair of the CAM…" for remarks."""
    rows = [
        (_("R%(number)s · %(acronym)s") % {"number": round_["number"], "acronym": m["acronym"]}, e)
        for round_, e, _person, m in entries(record)
    ]
    for item, intervention in all_interventions(record):
        speaker = intervention["delegation"] or shortened(intervention["speaker"], 18)
        rows.append((f"{item['position']} · {speaker}", intervention))
    return rows


def chart_bars(given: list[tuple[str, dict]]) -> list[dict]:
    """Each turn's row: its label, and where its bars and figures go. Every number is written
    here, lengths with one decimal, so that no language's number format changes them."""
    longest = max(max(e["allotted_seconds"], e["used_seconds"]) for _label, e in given)
    scale = BAR_WIDTH / longest
    bars = []
    for index, (label, entry) in enumerate(given):
        y = index * ROW_HEIGHT + 4
        allotted = entry["allotted_seconds"] * scale
        used = min(entry["used_seconds"], entry["allotted_seconds"]) * scale
        over = entry["overtime_seconds"] * scale
        bars.append(
            {
                "label": label,
                "y": str(y),
                "bar_y": str(y + 3),
                "text_y": str(y + 15),
                "allotted": f"{allotted:.1f}",
                "used": f"{used:.1f}",
                "over": f"{over:.1f}" if over else "",
                "over_x": f"{LABEL_WIDTH + used:.1f}",
                "figures_x": f"{LABEL_WIDTH + max(allotted, used + over) + 6:.1f}",
                "figures": f"{minutes_seconds(entry['used_seconds'])} / "
                f"{minutes_seconds(entry['allotted_seconds'])}",
            }
        )
    return bars
