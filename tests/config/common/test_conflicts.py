"""The conflict check of the forms holds when many save at the same instant.

Several people submit the same version of a form at once, through the real views and the
admin, each in its own thread and database connection: exactly one save goes through and every
other is refused with the conflict message, losing nothing. The version is compared under a
row lock inside the save's transaction (config/common/conflicts.py); without it every one of the
saves was accepted, each overwriting the one before.
"""

import threading

import pytest
from bs4 import BeautifulSoup
from django.db import close_old_connections, connection
from django.db.transaction import TransactionManagementError
from django.test import Client

from mechanisms.models import Mechanism
from meetings.forms import PanelistForm
from meetings.models import EmailKind, Meeting, Panelist, PanelistStatus, RevisedText, Round
from meetings.roles import SECRETARIAT
from meetings.services import invitations, panel
from meetings.services.revisions import save_text
from tests.factories import make_meeting, make_panelist, make_user, saved_rounds

pytestmark = pytest.mark.django_db(transaction=True)

CONFLICT = "Someone else saved this record"
SAVES_AT_ONCE = 10


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the race needs concurrent transactions with row locks: SQLite serialises every "
            "write to the whole file and has no SELECT ... FOR UPDATE. Run with "
            "DATABASE_URL=postgres://... (CI does)."
        )


def form_of(html: bytes) -> dict[str, str]:
    """The fields of the form that carries the version, as a browser would submit them."""
    page = BeautifulSoup(html, "html.parser")
    form = page.find("input", {"name": "loaded_version"}).find_parent("form")
    data: dict[str, str] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n")
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            if chosen is not None:
                data[name] = chosen["value"]
        elif kind in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif kind not in {"submit", "button", "file"}:
            data[name] = field.get("value", "")
    return data


def save_at_once(user, url: str, edits: list[dict[str, str]]) -> list[str]:
    """One browser per edit loads the form, then all submit it at the same instant."""
    browsers = []
    for edit in edits:
        browser = Client()
        browser.force_login(user)
        browsers.append((browser, {**form_of(browser.get(url).content), **edit}))
    barrier = threading.Barrier(len(browsers))
    outcomes: list[str] = []

    def submit(browser: Client, data: dict[str, str]) -> None:
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            response = browser.post(url, data)
            if response.status_code == 302:
                outcomes.append("saved")
            elif CONFLICT in response.content.decode():
                outcomes.append("refused")
            else:
                outcomes.append(f"answered {response.status_code}")
        except Exception as error:  # every outcome is reported, errors included
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def one_saved(outcomes: list[str], count: int) -> bool:
    return outcomes == ["refused"] * (count - 1) + ["saved"]


def told(outcomes: list[str]) -> str:
    return f"{outcomes.count('saved')} of {len(outcomes)} saved: {outcomes}"


@pytest.mark.usefixtures("postgresql_only")
def test_one_of_many_simultaneous_saves_of_a_panelist_goes_through_on_the_secretariats_page():
    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana Pérez")
    names = [f"Ana {number}" for number in range(SAVES_AT_ONCE)]
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/edit/"

    outcomes = save_at_once(make_user(SECRETARIAT), url, [{"name": name} for name in names])

    assert one_saved(outcomes, SAVES_AT_ONCE), told(outcomes)
    assert Panelist.objects.get(pk=panelist.pk).name in names


@pytest.mark.usefixtures("postgresql_only")
def test_one_of_many_simultaneous_saves_of_a_meeting_goes_through_on_the_secretariats_page():
    # A hybrid meeting (the default) is saved only with its link to join online.
    meeting = make_meeting(virtual_link="https://meet.example.org/labour-migration")
    titles = [f"Labour migration {number}" for number in range(SAVES_AT_ONCE)]
    url = f"/meetings/{meeting.slug}/edit/"
    edits = [{"title_en": title, **saved_rounds(meeting)} for title in titles]

    outcomes = save_at_once(make_user(SECRETARIAT), url, edits)

    assert one_saved(outcomes, SAVES_AT_ONCE), told(outcomes)
    assert Meeting.objects.get(pk=meeting.pk).title_en in titles


@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.parametrize("kind", ["meeting", "panelist", "round", "mechanism"])
@pytest.mark.usefixtures("postgresql_only")
def test_one_of_many_simultaneous_saves_goes_through_in_the_admin(kind):
    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana Pérez")
    record, field = {
        "meeting": (meeting, "title_en"),
        "panelist": (panelist, "name"),
        "round": (meeting.rounds.get(number=1), "question_en"),
        "mechanism": (panelist.mechanism, "name_en"),
    }[kind]
    values = [f"Edit {number}" for number in range(SAVES_AT_ONCE)]
    model = type(record)._meta
    url = f"/admin/{model.app_label}/{model.model_name}/{record.pk}/change/"
    superuser = make_user(is_staff=True, is_superuser=True)

    outcomes = save_at_once(superuser, url, [{field: value} for value in values])

    assert one_saved(outcomes, SAVES_AT_ONCE), told(outcomes)
    model_class = {"meeting": Meeting, "panelist": Panelist, "round": Round}.get(kind, Mechanism)
    assert getattr(model_class.objects.get(pk=record.pk), field) in values


def first_write(queries, table: str) -> int:
    """The index of the first statement that writes a row of `table` or locks one for it."""
    source = f'FROM "{table}"'
    for index, query in enumerate(queries):
        sql = query["sql"]
        writes = sql.startswith(("UPDATE ", "DELETE ")) and f'"{table}"' in sql.split(" SET ")[0]
        if writes or (source in sql and " FOR " in sql and "UPDATE" in sql.split(" FOR ")[-1]):
            return index
    raise AssertionError(f"nothing wrote {table}")


def meeting_locked_before(queries, index: int) -> bool:
    """A statement before `index` locked the meeting's row, and only it (a lock taken on
    several tables in one statement takes them in no order one can rely on)."""
    return any(
        query["sql"].startswith('SELECT "meetings_meeting"."id" AS "pk" FROM "meetings_meeting"')
        and " JOIN " not in query["sql"]
        and "FOR NO KEY UPDATE" in query["sql"]
        for query in queries[:index]
    )


@pytest.mark.django_db(transaction=False)
@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.parametrize(
    "change",
    [
        "secretariat form",
        "admin form",
        "answer to the invitation",
        "panel update",
        "removal",
        "round saved",
        "invitation sent",
        "notes saved",
    ],
)
def test_a_part_of_a_meeting_is_written_only_after_its_meeting_is_locked(change, client):
    """One lock order for every write, so that none waits on a row the other holds: the
    forms lock the meeting and then the panelist; a panelist's or a round's save writes its
    row and then the meeting's live version, so it must lock the meeting first too."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    client.force_login(make_user(SECRETARIAT, is_staff=True, is_superuser=True))
    urls = {
        "secretariat form": f"/meetings/{meeting.slug}/panel/{panelist.pk}/edit/",
        "admin form": f"/admin/meetings/panelist/{panelist.pk}/change/",
    }
    page = client.get(urls[change]).content if change in urls else b""
    table = {"round saved": "meetings_round", "notes saved": "meetings_turn"}.get(
        change, "meetings_panelist"
    )
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        if change in urls:
            client.post(urls[change], {**form_of(page), "position": "Director"})
        elif change == "answer to the invitation":
            panel.respond_to_invitation(panelist, PanelistStatus.CONFIRMED)
        elif change == "panel update":
            panel.update_panelist(panelist, by=None, position="Director")
        elif change == "removal":
            panel.remove_panelist(panelist, by=None)
        elif change == "invitation sent":
            invitations.send(panelist, EmailKind.INVITATION, by=None)
        elif change == "notes saved":
            turn = panelist.turns.first()
            save_text(turn, RevisedText.NOTES, "Spoke of labour", base_version=0, by=None)
        else:
            round_ = meeting.rounds.get(number=1)
            round_.question_en = "What works best?"
            round_.save()

    assert meeting_locked_before(
        queries.captured_queries, first_write(queries.captured_queries, table)
    )


def test_a_conflict_check_outside_the_saving_transaction_is_a_mistake_said_at_once():
    """Checked and then saved in two transactions, the lock would end before the save."""
    panelist = make_panelist(make_meeting())
    form = PanelistForm(
        {"mechanism": panelist.mechanism_id, "status": "invited", "loaded_version": ""},
        instance=panelist,
    )
    with pytest.raises(TransactionManagementError, match="inside the transaction"):
        form.is_valid()
