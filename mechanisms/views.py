from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from config.common.spreadsheets import csv_response
from config.common.text import sort_key
from mechanisms.forms import DirectoryFilterForm
from mechanisms.models import Mechanism, Membership, MemberState, Subregion
from mechanisms.overlap import Overlap


@require_safe
@vary_on_headers("HX-Request")
def directory(request):
    form = DirectoryFilterForm(request.GET)
    mechanisms = form.filter(Mechanism.objects.for_directory())
    template = "mechanisms/directory.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "mechanisms": mechanisms})


@require_safe
def detail(request, slug):
    mechanism = get_object_or_404(
        Mechanism.objects.select_related("parent_organisation").prefetch_related(
            "lead_organisations", "member_states"
        ),
        slug=slug,
    )
    states = sorted(mechanism.member_states.all(), key=lambda state: sort_key(state.name))
    return render(request, "mechanisms/detail.html", {"mechanism": mechanism, "states": states})


@require_safe
def overlap(request):
    mechanisms = list(Mechanism.objects.all())
    subregion_order = {value: index for index, value in enumerate(Subregion.values)}
    states = sorted(
        MemberState.objects.all(),
        key=lambda state: (subregion_order[state.subregion], sort_key(state.name)),
    )
    matrix = Overlap.build(
        mechanisms, states, ((m.mechanism, m.state) for m in memberships(mechanisms, states))
    )
    if request.GET.get("format") == "csv":
        return overlap_csv(matrix, request.GET.get("matrix"))
    unlisted = [mechanism for mechanism in mechanisms if mechanism not in matrix.members]
    return render(
        request,
        "mechanisms/overlap.html",
        {"matrix": matrix, "unlisted": unlisted, "subregions": dict(Subregion.choices)},
    )


def memberships(mechanisms, states):
    """Membership rows pointing at the very objects already loaded (no query per row)."""
    by_mechanism = {mechanism.pk: mechanism for mechanism in mechanisms}
    by_state = {state.pk: state for state in states}
    for membership in Membership.objects.all():
        membership.mechanism = by_mechanism[membership.mechanism_id]
        membership.state = by_state[membership.state_id]
        yield membership


def overlap_csv(matrix: Overlap, which: str | None):
    acronyms = [mechanism.acronym for mechanism in matrix.mechanisms]
    if which == "shared":
        rows = [[_("Mechanism"), *acronyms]]
        rows += [[first.acronym, *counts] for first, counts in matrix.shared_rows()]
        return csv_response("mechanisms-shared-members.csv", rows)
    rows = [[_("ISO code"), _("State"), *acronyms, _("Mechanisms")]]
    rows += [
        [state.code, state.name, *("1" if flag else "" for flag in flags), sum(flags)]
        for state, flags in matrix.state_rows()
    ]
    return csv_response("states-by-mechanism.csv", rows)
