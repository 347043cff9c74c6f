"""The delegations as the secretariat keeps them: observers and invited organisations added
(the member states' are there from the meeting's creation: floor.ensure_member_delegations),
who is present (the roll call) and their floor links.

Every action locks the meeting's row first; the rows saved raise the live version through
meetings.live.signals (a link issued or revoked shows on no screen, and raises nothing).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from meetings.models import Attendance, Delegation, DelegationKind, Meeting
from meetings.services import links
from meetings.services.audit import log_action

NAME_FIELDS = tuple(get_translation_fields("name"))
# What the secretariat changes of any delegation, a member state's too.
ANY_DELEGATIONS = ("attendance", "addresses", "language")
# The kinds the secretariat adds; a member state's delegation comes with the meeting.
ADDED_KINDS = (DelegationKind.OBSERVER, DelegationKind.ORGANISATION)


def locked(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


def clean_code(code: str) -> str:
    return code.replace("\x00", "").strip().upper()


def code_taken(meeting: Meeting, code: str, *, other_than: int | None = None) -> bool:
    """Whether another delegation of the meeting has this code (whatever its case)."""
    taken = meeting.delegations.filter(code__iexact=code)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


def code_taken_message(code: str) -> str:
    return _("Another delegation of this meeting has the code %(code)s.") % {"code": code}


@transaction.atomic
def add_delegation(meeting: Meeting, *, by, kind: str, code: str, **names) -> Delegation:
    """An observer or an invited organisation, with its floor link. Raises ValidationError for
    a code another delegation of the meeting has, a missing name or a kind not added here."""
    unknown = set(names) - set(NAME_FIELDS)
    if unknown:
        raise ValueError(sorted(unknown))
    meeting = locked(meeting.pk)
    if kind not in ADDED_KINDS:
        raise ValidationError({"kind": _("Member states' delegations come with the meeting.")})
    code = clean_code(code)
    if code and code_taken(meeting, code):
        raise ValidationError({"code": code_taken_message(code)})
    delegation = Delegation(meeting=meeting, kind=kind, code=code, **names)
    if not (delegation.name_en or "").strip():
        raise ValidationError({"name_en": _("Give its name (in English at least).")})
    delegation.full_clean(exclude=["meeting", "state"])
    delegation.save()
    links.issue_link(delegation, log=False)
    log_action(meeting, "delegation.added", actor=by, delegation=code, kind=kind)
    return delegation


@transaction.atomic
def update_delegation(delegation: Delegation, *, by, **fields) -> Delegation:
    """Change an observer's or organisation's code and names, or any delegation's attendance,
    email addresses and language (a member state's code and name are its state's). Raises
    ValidationError as add_delegation does."""
    unknown = set(fields) - {*NAME_FIELDS, "code", *ANY_DELEGATIONS}
    if unknown:
        raise ValueError(sorted(unknown))
    meeting = locked(delegation.meeting_id)
    delegation = Delegation.objects.get(pk=delegation.pk)
    if delegation.kind == DelegationKind.MEMBER_STATE and set(fields) - set(ANY_DELEGATIONS):
        raise ValidationError(_("A member state's delegation is named by its state."))
    if "code" in fields:
        fields["code"] = clean_code(fields["code"])
        if code_taken(meeting, fields["code"], other_than=delegation.pk):
            raise ValidationError({"code": code_taken_message(fields["code"])})
    changed = sorted(name for name, value in fields.items() if getattr(delegation, name) != value)
    for name, value in fields.items():
        setattr(delegation, name, value)
    if delegation.kind != DelegationKind.MEMBER_STATE and not (delegation.name_en or "").strip():
        raise ValidationError({"name_en": _("Give its name (in English at least).")})
    delegation.full_clean(exclude=["meeting", "state"])
    delegation.save()
    log_action(meeting, "delegation.changed", actor=by, delegation=delegation.code, fields=changed)
    return delegation


@transaction.atomic
def set_attendance(delegation: Delegation, attendance: str, *, by) -> Delegation:
    """Mark the delegation not present, in the room or online (the roll call)."""
    if attendance not in Attendance.values:
        raise ValueError(attendance)
    meeting = locked(delegation.meeting_id)
    delegation = Delegation.objects.get(pk=delegation.pk)
    if delegation.attendance != attendance:
        delegation.attendance = attendance
        delegation.save(update_fields=["attendance", "updated_at"])
        log_action(
            meeting, "delegation.attendance", actor=by, delegation=delegation.code, to=attendance
        )
    return delegation


@transaction.atomic
def new_link(delegation: Delegation, *, by) -> str:
    """A new floor link for the delegation; the old one stops working. Logged by links."""
    locked(delegation.meeting_id)
    return links.issue_link(Delegation.objects.get(pk=delegation.pk), by=by)


@transaction.atomic
def revoke_link(delegation: Delegation, *, by) -> None:
    """The delegation's floor link stops working, and none replaces it until a new one."""
    locked(delegation.meeting_id)
    links.revoke_link(Delegation.objects.get(pk=delegation.pk), by=by)


def link_rows(delegations, *, by=None, issue_missing: bool = True) -> list[list[str]]:
    """Code, name and the full address of each delegation's floor link, for secretariats that
    send them from their own mail system: issued where it has none that works (as the
    panelists' export does), or with `issue_missing` false (a download that changes nothing)
    left empty for a link revoked."""
    rows = []
    for delegation in delegations.select_related("meeting", "state"):
        if issue_missing:
            links.ensure_link(delegation, by=by)
        path = links.link_path(delegation)
        rows.append(
            [delegation.code, str(delegation.display_name), links.site_url(path) if path else ""]
        )
    return rows
