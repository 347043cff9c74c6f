import threading

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Email, EmailStatus, Meeting, Panelist, PanelistStatus
from meetings.roles import SECRETARIAT
from meetings.services import outbox
from meetings.services.links import link_path, link_token, panelist_for_token
from meetings.services.panel import respond_to_invitation, speaking_order
from tests.factories import (
    LOCMEM_MAILERS,
    UNREACHABLE_MAILERS,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
    meeting_form,
    panelist_form,
    saved_rounds,
    substitute_form,
)
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


@pytest.fixture
def meeting():
    return make_meeting()


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def test_scheduling_a_meeting_with_two_rounds(client, secretary):
    response = client.post("/meetings/new/", meeting_form())
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="labour-migration")
    assert response["Location"] == f"/meetings/{meeting.slug}/panel/"
    assert list(meeting.rounds.values_list("number", "speaking_seconds")) == [(1, 420), (2, 300)]
    assert meeting.log.filter(action="meeting.created", actor=secretary).exists()


def test_a_meeting_that_ends_before_it_starts_is_refused_keeping_the_input(client, secretary):
    soup = soup_of(client.post("/meetings/new/", meeting_form(end_time="09:00")))
    assert "must end after it starts" in soup.get_text()
    assert soup.find("input", {"name": "title_en"})["value"] == "Labour migration"
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title_en", "Labour\nmigration"), ("venue_fr", "Salle\u202eA"), ("chair_en", "Ana\u200b")],
)
def test_a_one_line_field_with_a_line_break_or_hidden_character_is_refused(
    client, secretary, field, value
):
    soup = soup_of(client.post("/meetings/new/", meeting_form(**{field: value})))
    assert "Write this on one line" in soup.get_text()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("zone", ["localtime", "Factory"])
def test_a_time_zone_that_is_no_region_is_refused_in_the_form(client, secretary, zone):
    soup = soup_of(client.post("/meetings/new/", meeting_form(time_zone=zone)))
    assert f"“{zone}” is not a known time zone" in soup.get_text()
    assert not soup.select(f'#time-zones option[value="{zone}"]')
    assert soup.select('#time-zones option[value="America/New_York"]')
    assert not Meeting.objects.exists()


def test_the_panel_groups_seats_by_mechanism_with_counts(client, secretary, meeting):
    rcm = make_mechanism(acronym_en="RCM")
    make_panelist(meeting, rcm, name="Ana", status=PanelistStatus.CONFIRMED)
    make_panelist(meeting, rcm, name="Luis")
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/"))
    group = soup.find(id="group-" + rcm.slug).find_parent("section")
    assert [h.get_text() for h in group.select(".panelist-card h3")] == ["Ana", "Luis"]
    assert "2 seats · 1 confirmed · 0 declined · 2 not yet invited" in soup.get_text()


def test_the_panel_filters_who_has_not_confirmed_or_submitted(client, secretary, meeting):
    from meetings.services.answers import submit_answer

    make_panelist(meeting, name="Ana", status=PanelistStatus.CONFIRMED)
    luis = make_panelist(meeting, name="Luis", status=PanelistStatus.CONFIRMED)
    for round_ in meeting.rounds.all():
        submit_answer(luis, round_, "Done.")

    def names(show):
        soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/?show={show}"))
        return [h.get_text() for h in soup.select(".panelist-card h3")]

    assert names("not_confirmed") == []
    assert names("not_submitted") == ["Ana"]


def test_adding_a_panelist_inline_returns_their_card(client, secretary, meeting):
    mechanism = make_mechanism()
    response = client.post(
        f"/meetings/{meeting.slug}/panel/add/",
        panelist_form(mechanism=mechanism.pk, name="Ana Pérez", preferred_language="es"),
        headers=HTMX,
    )
    soup = soup_of(response)
    panelist = Panelist.objects.get(name="Ana Pérez")
    assert soup.select_one(f"#panelist-{panelist.pk} h3").get_text() == "Ana Pérez"
    assert soup.select_one(f"#add-{mechanism.slug} button")
    assert link_path(panelist) in response.content.decode()
    assert [turn.panelist for turn in speaking_order(meeting.rounds.first())] == [panelist]


def test_an_invalid_panelist_comes_back_with_the_error_and_the_text(client, secretary, meeting):
    response = client.post(
        f"/meetings/{meeting.slug}/panel/add/",
        panelist_form(
            mechanism=make_mechanism().pk, name="Ana", email="not-an-email", preferred_language="en"
        ),
        headers=HTMX,
    )  # fmt: skip
    soup = soup_of(response)
    assert soup.form and "Enter a valid email address" in soup.get_text()
    assert soup.find("input", {"name": "name"})["value"] == "Ana"
    assert not Panelist.objects.exists()


@pytest.mark.parametrize("name", ["Ana\u2066Pérez", "Ana\rPérez", "\ufeffAna"])
def test_a_panelist_name_that_is_not_one_line_is_refused(client, secretary, meeting, name):
    response = client.post(
        f"/meetings/{meeting.slug}/panel/add/",
        panelist_form(mechanism=make_mechanism().pk, name=name, preferred_language="en"),
        headers=HTMX,
    )  # fmt: skip
    assert "Write this on one line" in soup_of(response).get_text()
    assert not Panelist.objects.exists()


def test_editing_a_panelist_inline(client, secretary, meeting):
    panelist = make_panelist(meeting, name="Ana")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/edit/"
    form = soup_of(client.get(url, headers=HTMX)).find("form")
    data = panelist_form(
        mechanism=panelist.mechanism_id,
        name="Ana María",
        preferred_language="en",
        status="confirmed",
        loaded_version=form.find("input", {"name": "loaded_version"})["value"],
    )
    soup = soup_of(client.post(url, data, headers=HTMX))
    assert soup.select_one("h3").get_text() == "Ana María"
    panelist.refresh_from_db()
    assert (panelist.name, panelist.status) == ("Ana María", PanelistStatus.CONFIRMED)


def test_the_panel_form_offers_the_honorifics_and_writes_them_in_each_language(
    client, secretary, meeting
):
    """A key chosen in the form, written as each reader's language writes it."""
    form = soup_of(client.get(f"/meetings/{meeting.slug}/panel/add/", headers=HTMX))
    options = [option["value"] for option in form.select("select[name=honorific] option")]
    assert options == ["", "he", "amb_m", "amb_f", "hon", "mr", "ms", "mrs", "dr_m", "dr_f",
                       "prof_m", "prof_f", "other"]  # fmt: skip
    assert form.select_one("input[name=honorific_other]")
    data = panelist_form(mechanism=make_mechanism().pk, name="Ana Pérez", honorific="ms",
                         preferred_language="es")  # fmt: skip
    soup = soup_of(client.post(f"/meetings/{meeting.slug}/panel/add/", data, headers=HTMX))
    panelist = Panelist.objects.get(name="Ana Pérez")
    assert soup.select_one(f"#panelist-{panelist.pk} h3").get_text() == "Ms. Ana Pérez"
    page = client.get(f"/meetings/{meeting.slug}/", headers={"Accept-Language": "es"})
    assert "Sra. Ana Pérez" in page.content.decode()


def test_a_typed_honorific_needs_its_text(client, secretary, meeting):
    data = panelist_form(mechanism=make_mechanism().pk, name="Ana Pérez", honorific="other",
                         honorific_other="", preferred_language="es")  # fmt: skip
    soup = soup_of(client.post(f"/meetings/{meeting.slug}/panel/add/", data, headers=HTMX))
    assert "Write the honorific, or choose one of the list." in soup.get_text()
    assert not Panelist.objects.exists()


def test_removing_a_panelist_inline(client, secretary, meeting):
    panelist = make_panelist(meeting)
    response = client.post(f"/meetings/{meeting.slug}/panel/{panelist.pk}/remove/", headers=HTMX)
    soup = soup_of(response)  # the card is swapped for nothing; out of band updates only
    assert [tag["id"] for tag in soup.find_all(recursive=False)] == ["run-of-show", "slot-notice"]
    assert all(tag["data-hx-swap-oob"] == "true" for tag in soup.find_all(recursive=False))
    assert not Panelist.objects.exists()


def test_a_panelist_who_has_spoken_stays_and_the_page_says_why(client, secretary, meeting):
    panelist = make_panelist(meeting)
    panelist.turns.update(notes="Described the regional protection framework.")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/remove/"
    response = client.post(url, headers=HTMX)
    assert response["HX-Redirect"] == f"/meetings/{meeting.slug}/panel/"
    assert Panelist.objects.filter(pk=panelist.pk).exists()
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "has already spoken or has notes in the record" in page


def run_of_show_names(soup) -> list[str]:
    """The speakers of the run of show the response sends out of band."""
    section = soup.select_one("#run-of-show")
    assert section is not None and section["data-hx-swap-oob"] == "true"
    return [row.select("td")[1].get_text(" ", strip=True) for row in section.select("tbody tr")
            if len(row.select("td")) == 3]  # fmt: skip


def test_every_inline_panel_change_returns_the_run_of_show_out_of_band(client, secretary, meeting):
    """The Panel page's run of show follows an edit, an addition and a removal."""
    ana = make_panelist(meeting, name="Ana")
    url = f"/meetings/{meeting.slug}/panel/{ana.pk}/edit/"
    form = soup_of(client.get(url, headers=HTMX)).find("form")
    data = panelist_form(mechanism=ana.mechanism_id, name="Ana María", preferred_language="en",
            status="confirmed",
            loaded_version=form.find("input", {"name": "loaded_version"})["value"])  # fmt: skip
    edited = soup_of(client.post(url, data, headers=HTMX))
    assert edited.select_one(f"#panelist-{ana.pk} h3").get_text() == "Ana María"
    assert any("Ana María" in name for name in run_of_show_names(edited))

    added = soup_of(client.post(
        f"/meetings/{meeting.slug}/panel/add/",
        panelist_form(mechanism=make_mechanism().pk, name="Luis Gómez", preferred_language="es"),
        headers=HTMX,
    ))  # fmt: skip
    names = run_of_show_names(added)
    assert any("Ana María" in name for name in names)
    assert any("Luis Gómez" in name for name in names)

    luis = Panelist.objects.get(name="Luis Gómez")
    url = f"/meetings/{meeting.slug}/panel/{luis.pk}/remove/"
    removed = soup_of(client.post(url, headers=HTMX))
    assert not removed.select(f"#panelist-{luis.pk}")  # the card is swapped for nothing
    names = run_of_show_names(removed)
    assert names and not any("Luis Gómez" in name for name in names)


def test_a_decline_entered_inline_takes_them_out_of_the_run_of_show_at_once(
    client, secretary, meeting
):
    make_panelist(meeting, name="Ana")
    luis = make_panelist(meeting, name="Luis")
    url = f"/meetings/{meeting.slug}/panel/{luis.pk}/edit/"
    form = soup_of(client.get(url, headers=HTMX)).find("form")
    data = panelist_form(mechanism=luis.mechanism_id, name="Luis", preferred_language="en",
            status="declined",
            loaded_version=form.find("input", {"name": "loaded_version"})["value"])  # fmt: skip
    names = run_of_show_names(soup_of(client.post(url, data, headers=HTMX)))
    assert any("Ana" in name for name in names)
    assert not any("Luis" in name for name in names)


def test_reissuing_and_revoking_a_personal_link(client, secretary, meeting):
    panelist = make_panelist(meeting)
    old = link_token(panelist)
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/link/"
    client.post(url, {"action": "reissue"})
    panelist.refresh_from_db()
    assert panelist_for_token(old) is None and link_token(panelist) != old
    client.post(url, {"action": "revoke"})
    panelist.refresh_from_db()
    assert link_token(panelist) is None


def test_the_invitation_is_previewed_then_sent(client, secretary, meeting):
    panelist = make_panelist(meeting, name="Ana", email="ana@example.org")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/email/invitation/"
    preview = soup_of(client.get(url))
    assert "Dear Ana," in preview.select_one(".email-preview").get_text()
    run_worker()
    assert not mail.outbox

    response = client.post(url)
    assert response.status_code == 302
    run_worker()
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    assert Email.objects.get().status == EmailStatus.SENT


def test_sending_the_same_email_twice_sends_it_once_and_says_why(client, secretary, meeting):
    panelist = make_panelist(meeting, email="ana@example.org")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/email/invitation/"
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    run_worker()
    assert len(mail.outbox) == 1
    assert "it is not sent twice" in page
    assert Email.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_invite_everyone_pressed_twice_at_once_sends_each_email_once():
    meeting = make_meeting()
    for number in range(4):
        make_panelist(meeting, email=f"panelist{number}@example.org")
    user = make_user(SECRETARIAT)
    barrier = threading.Barrier(2)
    statuses = []

    def press():
        close_old_connections()
        try:
            browser = Client()
            browser.force_login(user)
            barrier.wait()
            statuses.append(browser.post(f"/meetings/{meeting.slug}/panel/invite/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"panelist{number}@example.org" for number in range(4)
    ]
    assert Email.objects.filter(status=EmailStatus.SENT).count() == 4


def test_a_failed_invitation_is_tried_again_then_shown_with_a_retry(
    client, secretary, meeting, settings
):
    panelist = make_panelist(meeting, email="ana@example.org")
    settings.MAILERS = UNREACHABLE_MAILERS
    response = client.post(
        f"/meetings/{meeting.slug}/panel/{panelist.pk}/email/invitation/", follow=True
    )
    assert "is queued" in soup_of(response).select_one(".alert-success").get_text()
    run_worker()
    card = soup_of(client.get(f"/meetings/{meeting.slug}/panel/")).select_one(
        ".email-status-queued"
    )
    assert "Tried and failed; tried again at" in card.get_text()
    settle()
    record = Email.objects.get()
    assert (record.status, record.attempts) == (EmailStatus.FAILED, outbox.ATTEMPTS)
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/"))
    assert "Connection refused" in soup.select_one(".email-status-failed").get_text()
    assert soup.find("form", action=f"/meetings/{meeting.slug}/emails/{record.pk}/retry/")

    settings.MAILERS = LOCMEM_MAILERS
    client.post(f"/meetings/{meeting.slug}/emails/{record.pk}/retry/")
    run_worker()
    assert Email.objects.filter(status=EmailStatus.SENT).count() == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


def test_an_unknown_email_kind_is_404(client, secretary, meeting):
    panelist = make_panelist(meeting)
    assert (
        client.get(f"/meetings/{meeting.slug}/panel/{panelist.pk}/email/spam/").status_code == 404
    )


def test_moving_a_speaker_returns_the_round_and_the_new_run_of_show(client, secretary, meeting):
    first, second = make_panelist(meeting), make_panelist(meeting)
    response = client.post(
        f"/meetings/{meeting.slug}/order/1/move/",
        {"panelist": second.pk, "offset": "-1"},
        headers=HTMX,
    )
    soup = soup_of(response)
    assert [li["data-panelist"] for li in soup.select("#round-1 li")] == [
        str(second.pk),
        str(first.pk),
    ]
    assert soup.select_one("#run-of-show")["data-hx-swap-oob"] == "true"
    assert "Moved to position 1." in soup.get_text()


def test_dragging_sets_the_whole_order(client, secretary, meeting):
    a, b, c = (make_panelist(meeting) for _ in range(3))
    client.post(
        f"/meetings/{meeting.slug}/order/2/set/", {"order": f"{c.pk},{a.pk},{b.pk}"}, headers=HTMX
    )
    assert [turn.panelist for turn in speaking_order(meeting.rounds.get(number=2))] == [c, a, b]


@pytest.mark.parametrize("order", ["1,2", "abc", "", "999,998,997"])
def test_an_impossible_order_is_refused_without_changes(client, secretary, meeting, order):
    panelists = [make_panelist(meeting) for _ in range(3)]
    response = client.post(f"/meetings/{meeting.slug}/order/1/set/", {"order": order}, headers=HTMX)
    assert response.status_code == 400
    assert [turn.panelist for turn in speaking_order(meeting.rounds.first())] == panelists


def test_round_two_copies_or_reverses_round_one(client, secretary, meeting):
    a, b = make_panelist(meeting), make_panelist(meeting)
    client.post(f"/meetings/{meeting.slug}/order/2/copy/", {"reverse": "1"}, headers=HTMX)
    assert [turn.panelist for turn in speaking_order(meeting.rounds.get(number=2))] == [b, a]


def test_panel_and_order_pages_use_a_constant_number_of_queries(client, secretary, meeting):
    make_panelist(meeting, email="a@example.org")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [f"/meetings/{meeting.slug}/panel/", f"/meetings/{meeting.slug}/order/", "/meetings/"]
    before = [count(url) for url in urls]
    for _ in range(6):
        make_panelist(meeting, mechanism=make_mechanism(), email="b@example.org")
    assert [count(url) for url in urls] == before


def test_inviting_everyone_not_yet_invited_after_a_preview(client, secretary, meeting):
    make_panelist(meeting, name="Ana", email="ana@example.org", preferred_language="es")
    make_panelist(meeting, name="Luis", email="luis@example.org")
    make_panelist(meeting, name="", email="")  # a seat still to be confirmed
    url = f"/meetings/{meeting.slug}/panel/invite/"
    preview = soup_of(client.get(url)).get_text(" ", strip=True)
    assert "ana@example.org" in preview and "luis@example.org" in preview
    assert "no email address yet" in preview
    run_worker()
    assert not mail.outbox

    client.post(url)
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "luis@example.org",
    ]
    run_worker()
    assert {m.to[0]: m.subject.split(":")[0] for m in mail.outbox} == {
        "ana@example.org": "Invitación",
        "luis@example.org": "Invitation",
    }
    client.post(url)  # nobody is left waiting
    run_worker()
    assert len(mail.outbox) == 2


def test_invite_everyone_shows_one_whole_email_per_language_that_goes_out(
    client, secretary, meeting
):
    """The secretariat reads each language's version before sending, not only the
    first email."""
    ana = make_panelist(meeting, name="Ana", email="ana@example.org", preferred_language="es")
    make_panelist(meeting, name="Luis", email="luis@example.org")  # not set: English
    make_panelist(meeting, name="Jean", email="jean@example.org", preferred_language="fr")
    make_panelist(meeting, name="María", email="maria@example.org", preferred_language="es")
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/invite/"))

    tabs = [tab.get_text(strip=True) for tab in soup.select(".email-versions-tabs [role=tab]")]
    assert tabs == ["English (1)", "Spanish (2)", "French (1)"]  # no Portuguese: nobody reads it
    sections = {section["id"]: section for section in soup.select(".email-versions section")}
    assert list(sections) == ["version-en", "version-es", "version-fr"]
    spanish = sections["version-es"]
    assert spanish.h3.get_text(strip=True) == "Spanish — 2 panelists: Ana, María"
    assert spanish.select_one(".email-subject").get_text().startswith("Invitación:")
    assert spanish.select_one("pre.email-preview")["lang"] == "es"
    text = spanish.select_one("pre.email-preview").get_text()
    assert text.startswith("Estimado/a Ana:")
    assert link_path(ana) in text and "Secretaría Técnica" in text  # Ana's, to its signature
    assert "meeting.ics" in spanish.get_text()
    assert sections["version-en"].h3.get_text(strip=True) == "English — 1 panelist: Luis"
    assert "Dear Luis," in sections["version-en"].select_one("pre.email-preview").get_text()
    assert "Cher/Chère Jean," in sections["version-fr"].select_one("pre.email-preview").get_text()
    run_worker()
    assert not mail.outbox


def test_invite_everyone_in_one_language_shows_its_email_without_tabs(client, secretary, meeting):
    make_panelist(meeting, name="Ana", email="ana@example.org", preferred_language="pt")
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/invite/"))
    assert soup.select(".email-versions-tabs") == []
    [section] = soup.select(".email-versions section")
    assert section.h3.get_text(strip=True) == "Portuguese — 1 panelist: Ana"
    assert section.select_one("pre.email-preview").get_text().startswith("Prezado(a) Ana,")


def test_the_panelist_preview_reads_each_language_and_sends_in_theirs(client, secretary, meeting):
    """The per-panelist preview switches language for reading only."""
    panelist = make_panelist(meeting, name="Ana", email="ana@example.org", preferred_language="es")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/email/invitation/"
    theirs = soup_of(client.get(url))
    links = {a.get_text(strip=True): a["href"] for a in theirs.select(".email-languages a")}
    assert links == {
        "English": "?language=en",
        "Spanish (sent)": "?language=es",
        "French": "?language=fr",
        "Portuguese": "?language=pt",
    }
    assert theirs.select_one(".email-languages [aria-current=page]").get_text() == "Spanish (sent)"
    assert theirs.select_one("pre.email-preview").get_text().startswith("Estimado/a Ana:")
    assert theirs.select(".alert-info") == []

    french = soup_of(client.get(f"{url}?language=fr"))
    assert french.select_one("pre.email-preview").get_text().startswith("Cher/Chère Ana,")
    assert french.select_one("pre.email-preview")["lang"] == "fr"
    assert "goes out in the panelist's language: Spanish" in french.select_one(".alert-info").text
    assert french.select_one(".email-languages [aria-current=page]").get_text() == "French"

    unknown = soup_of(client.get(f"{url}?language=xx"))
    assert unknown.select_one("pre.email-preview").get_text().startswith("Estimado/a Ana:")

    client.post(f"{url}?language=fr")
    run_worker()
    [message] = mail.outbox
    assert message.subject.startswith("Invitación") and message.body.startswith("Estimado/a")


def test_a_new_meeting_offers_two_rounds_numbered_one_and_two(client, secretary):
    soup = soup_of(client.get("/meetings/new/"))
    numbers = [field.get("value") for field in soup.select("input[name$='-number']")]
    assert numbers == ["1", "2"]


def test_two_people_editing_a_panelist_lose_nothing(client, secretary, meeting):
    from django.test import Client

    panelist = make_panelist(meeting, name="Ana")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/edit/"
    other = Client()
    other.force_login(make_user(SECRETARIAT))
    seen = soup_of(client.get(url)).find("input", {"name": "loaded_version"})["value"]
    other_seen = soup_of(other.get(url)).find("input", {"name": "loaded_version"})["value"]
    base = panelist_form(mechanism=panelist.mechanism_id, preferred_language="en")

    assert (
        client.post(url, {**base, "name": "Ana María", "loaded_version": seen}).status_code == 302
    )
    soup = soup_of(other.post(url, {**base, "name": "Ana Lucía", "loaded_version": other_seen}))

    panelist.refresh_from_db()
    assert panelist.name == "Ana María"  # the first save stands
    assert "Someone else saved this record" in soup.get_text()
    assert soup.find("input", {"name": "name"})["value"] == "Ana Lucía"  # and theirs is kept
    fresh = soup.find("input", {"name": "loaded_version"})["value"]
    again = other.post(url, {**base, "name": "Ana Lucía", "loaded_version": fresh})
    assert again.status_code == 302
    panelist.refresh_from_db()
    assert panelist.name == "Ana Lucía"


def test_two_people_editing_a_meeting_lose_nothing(client, secretary):
    from django.test import Client

    client.post("/meetings/new/", meeting_form())
    meeting = Meeting.objects.get(slug="labour-migration")
    url = f"/meetings/{meeting.slug}/edit/"
    other = Client()
    other.force_login(make_user(SECRETARIAT))
    seen = soup_of(other.get(url)).find("input", {"name": "loaded_version"})["value"]
    rounds = saved_rounds(meeting)
    first = client.get(url)
    mine = soup_of(first).find("input", {"name": "loaded_version"})["value"]
    assert (
        client.post(
            url, meeting_form(title_en="Labour mobility", loaded_version=mine, **rounds)
        ).status_code
        == 302
    )
    response = other.post(
        url, meeting_form(title_en="Labour markets", loaded_version=seen, **rounds)
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title_en == "Labour mobility"


def test_a_round_left_without_a_speaking_time_takes_the_meetings(client, secretary):
    client.post(
        "/meetings/new/", meeting_form(speaking_seconds="300", **{"rounds-0-speaking_seconds": ""})
    )
    meeting = Meeting.objects.get(slug="labour-migration")
    assert [r.speaking_seconds for r in meeting.rounds.order_by("number")] == [300, 300]


def test_rounds_with_the_meetings_speaking_time_follow_its_change(client, secretary):
    client.post("/meetings/new/", meeting_form())  # round 1: 420 like the meeting; round 2: 300
    meeting = Meeting.objects.get(slug="labour-migration")
    url = f"/meetings/{meeting.slug}/edit/"
    version = soup_of(client.get(url)).find("input", {"name": "loaded_version"})["value"]
    rounds = saved_rounds(meeting)
    response = client.post(
        url, meeting_form(speaking_seconds="480", loaded_version=version, **rounds)
    )
    assert response.status_code == 302
    assert [r.speaking_seconds for r in meeting.rounds.order_by("number")] == [480, 300]


def test_a_round_given_its_own_time_in_the_same_save_keeps_it(client, secretary):
    client.post("/meetings/new/", meeting_form())
    meeting = Meeting.objects.get(slug="labour-migration")
    url = f"/meetings/{meeting.slug}/edit/"
    version = soup_of(client.get(url)).find("input", {"name": "loaded_version"})["value"]
    rounds = saved_rounds(meeting) | {"rounds-0-speaking_seconds": "360"}
    client.post(url, meeting_form(speaking_seconds="480", loaded_version=version, **rounds))
    assert [r.speaking_seconds for r in meeting.rounds.order_by("number")] == [360, 300]


def test_a_meeting_form_opened_before_the_start_does_not_undo_it(client, secretary):
    from meetings.models import MeetingStatus
    from meetings.services import live_session

    client.post("/meetings/new/", meeting_form())
    meeting = Meeting.objects.get(slug="labour-migration")
    make_panelist(meeting)
    url = f"/meetings/{meeting.slug}/edit/"
    version = soup_of(client.get(url)).find("input", {"name": "loaded_version"})["value"]
    live_session.perform(meeting, "start", by=None)  # the chair starts the session meanwhile
    rounds = saved_rounds(meeting)
    response = client.post(url, meeting_form(loaded_version=version, **rounds))
    assert "Someone else saved this record" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.IN_PROGRESS


# Declines and substitutes -------------------------------------------------------------------


def card_of(soup, panelist):
    return soup.find(id=f"panelist-{panelist.pk}")


def test_who_declined_is_not_chased_as_not_confirmed_nor_invited_again(client, secretary, meeting):
    from meetings.services.invitations import send

    ana = make_panelist(meeting, name="Ana")
    luis = make_panelist(meeting, name="Luis")
    make_panelist(meeting, name="Rosa", status=PanelistStatus.DECLINED)  # never invited
    send(ana, "invitation", by=None)
    send(luis, "invitation", by=None)
    respond_to_invitation(luis, PanelistStatus.DECLINED)

    def names(show):
        soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/?show={show}"))
        return [h.get_text() for h in soup.select(".panelist-card h3")]

    assert names("not_confirmed") == ["Ana"]
    assert names("not_submitted") == ["Ana"]
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/"))
    actions = [a.get_text(" ", strip=True) for a in card_of(soup, luis).select("a.btn")]
    assert actions == ["Name a substitute for Luis"]
    invite_all = soup_of(client.get(f"/meetings/{meeting.slug}/panel/invite/"))
    assert "Rosa" not in invite_all.get_text()


def test_the_secretariat_names_a_substitute_who_is_invited_at_once(
    client, secretary, meeting, settings
):
    settings.MAILERS = LOCMEM_MAILERS
    ana = make_panelist(meeting, name="Ana")
    respond_to_invitation(ana, PanelistStatus.DECLINED, reason="Travelling.")
    url = f"/meetings/{meeting.slug}/panel/{ana.pk}/substitute/"
    soup = soup_of(client.get(url))
    assert "Travelling." in soup.get_text()

    response = client.post(
        url,
        substitute_form(
            name="Eva Ruiz", email="eva@example.org", preferred_language="es", invite="on"
        ),
    )

    eva = meeting.panelists.get(name="Eva Ruiz")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.slug}/panel/#panelist-{eva.pk}"
    assert eva.substitute_for == ana
    run_worker()
    assert [message.to for message in mail.outbox] == [["eva@example.org"]]
    eva.refresh_from_db()
    assert eva.invited_at is not None
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/panel/"))
    assert "Substitute for Ana: speaks in their places." in card_of(soup, eva).get_text()
    assert "Substitute: Eva Ruiz." in card_of(soup, ana).get_text()
    assert "Travelling." in card_of(soup, ana).get_text()
    # A second substitute for the same seat is refused, with the reason on the panel.
    response = client.get(url, follow=True)
    assert "Eva Ruiz is already the substitute for Ana." in response.content.decode()


def test_a_substitute_without_an_email_is_not_invited_unless_asked(client, secretary, meeting):
    ana = make_panelist(meeting, name="Ana")
    respond_to_invitation(ana, PanelistStatus.DECLINED)
    url = f"/meetings/{meeting.slug}/panel/{ana.pk}/substitute/"
    soup = soup_of(client.post(url, substitute_form(name="Eva Ruiz", invite="on")))
    assert "An invitation needs an email address" in soup.get_text()
    assert client.post(url, substitute_form(name="Eva Ruiz")).status_code == 302
    assert meeting.panelists.get(name="Eva Ruiz").invited_at is None


def test_the_edit_form_refuses_a_decline_while_the_panelist_has_the_floor(
    client, secretary, meeting
):
    from meetings.services import live_session

    ana = make_panelist(meeting, name="Ana")
    make_panelist(meeting, name="Luis")
    live_session.perform(meeting, "start", by=None)
    ana.refresh_from_db()
    data = panelist_form(
        mechanism=ana.mechanism_id,
        name="Ana",
        status="declined",
        preferred_language="",
        loaded_version=ana.updated_at.isoformat(),
    )
    soup = soup_of(client.post(f"/meetings/{meeting.slug}/panel/{ana.pk}/edit/", data))
    assert "Ana has the floor" in soup.get_text()
    ana.refresh_from_db()
    assert ana.status == PanelistStatus.INVITED
