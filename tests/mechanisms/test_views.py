import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mechanisms.models import Mechanism, MechanismStatus
from tests.factories import make_mechanism, make_state

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def acronyms_listed(response) -> list[str]:
    return [node.get_text(strip=True) for node in page(response).select(".mechanism-card .acronym")]


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_home_leads_to_the_directory(client, seeded):
    soup = page(client.get("/"))
    assert soup.find("a", href="/mechanisms/")


def test_directory_lists_every_mechanism_in_the_notes_order(client, seeded):
    assert acronyms_listed(client.get("/mechanisms/")) == [
        "RCM", "CSM", "CAM", "CMC", "MIRPS", "Quito Process", "R4V", "GCM", "GCR",
    ]  # fmt: skip


def test_directory_search_matches_names_and_descriptions(client, seeded):
    assert acronyms_listed(client.get("/mechanisms/?q=Lima")) == ["CSM"]
    assert acronyms_listed(client.get("/mechanisms/?q=Proceso de Quito")) == ["Quito Process"]
    assert "GCR" in acronyms_listed(client.get("/mechanisms/?q=refugee"))


def test_directory_filters_by_kind_and_status(client, seeded):
    assert acronyms_listed(client.get("/mechanisms/?kind=global_compact")) == ["GCM", "GCR"]
    assert acronyms_listed(client.get("/mechanisms/?status=not_in_operation")) == ["CMC"]


def test_directory_ignores_an_unknown_filter_value(client, seeded):
    assert len(acronyms_listed(client.get("/mechanisms/?kind=<b>nope</b>&status=x"))) == 9


def test_directory_says_when_nothing_matches(client, seeded):
    soup = page(client.get("/mechanisms/?q=zzzz"))
    assert soup.select_one("#results-count").get_text(strip=True) == "0 mechanisms"
    assert soup.select_one(".empty-state")


def test_directory_answers_htmx_with_the_results_only(client, seeded):
    response = client.get("/mechanisms/?q=R4V", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.strip().startswith('<section id="mechanism-results"')
    assert "HX-Request" in response["Vary"]


def test_directory_queries_stay_constant_as_the_directory_grows(client, seeded):
    before = queries_for(client, "/mechanisms/")
    states = [make_state() for _ in range(5)]
    for _ in range(10):
        make_mechanism(members=states)
    assert queries_for(client, "/mechanisms/") == before


def test_detail_shows_the_facts_of_a_mechanism(client, seeded):
    soup = page(client.get("/mechanisms/cam/"))
    text = soup.get_text(" ", strip=True)
    assert soup.h1.get_text(" ", strip=True).startswith("CAM")
    assert "Special Committee on Migration Issues (2008–2012)" in text
    assert "2012" in text
    assert len(soup.select(".member-states li")) == 35


def test_detail_shows_lead_organisations_and_stated_counts(client, seeded):
    text = page(client.get("/mechanisms/r4v/")).get_text(" ", strip=True)
    assert "UNHCR" in text and "IOM" in text
    assert "192" in text and "17" in text


def test_detail_warns_that_the_cmc_is_not_in_operation(client, seeded):
    assert "not currently in operation" in page(client.get("/mechanisms/cmc/")).get_text()


def test_detail_of_an_unknown_mechanism_is_404(client, seeded):
    assert client.get("/mechanisms/no-such-thing/").status_code == 404


def test_detail_queries_stay_constant_as_members_grow(client, seeded):
    mechanism = make_mechanism(members=[make_state()])
    before = queries_for(client, mechanism.get_absolute_url())
    for _ in range(10):
        mechanism.member_states.add(make_state())
    assert queries_for(client, mechanism.get_absolute_url()) == before


def test_user_text_is_never_rendered_as_html(client, db):
    make_mechanism(
        slug="evil",
        acronym_en="<i>X</i>",
        name_en="<script>alert(1)</script>",
        description_en='<img src=x onerror="alert(1)">',
    )
    for url in ("/mechanisms/", "/mechanisms/evil/", "/mechanisms/overlap/"):
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body
        assert "<img src=x" not in body
        assert "<i>X</i>" not in body


def test_overlap_shows_every_state_and_the_mechanisms_with_listed_members(client, seeded):
    soup = page(client.get("/mechanisms/overlap/"))
    table = soup.select_one(".overlap-table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["State", "RCM", "CSM", "CAM", "MIRPS", "Quito Process", "Total"]
    assert len(table.select("tbody th[scope=row]")) == 35
    unlisted = soup.get_text(" ", strip=True)
    for acronym in ("CMC", "R4V", "GCM", "GCR"):
        assert acronym in unlisted


def test_overlap_marks_costa_rica_in_rcm_cam_mirps_and_quito(client, seeded):
    soup = page(client.get("/mechanisms/overlap/"))
    row = next(
        th.parent for th in soup.select(".overlap-table tbody th[scope=row]")
        if th.get_text(strip=True) == "Costa Rica"
    )  # fmt: skip
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells == ["●member", "not a member", "●member", "●member", "●member", "4"]


def test_overlap_counts_shared_members_exactly(client, seeded):
    rows = read_csv(client.get("/mechanisms/overlap/?format=csv&matrix=shared"))
    assert rows == [
        ["Mechanism", "RCM", "CSM", "CAM", "MIRPS", "Quito Process"],
        ["RCM", "11", "0", "11", "6", "4"],
        ["CSM", "0", "12", "12", "0", "8"],
        ["CAM", "11", "12", "35", "6", "12"],
        ["MIRPS", "6", "0", "6", "6", "3"],
        ["Quito Process", "4", "8", "12", "3", "12"],
    ]


def test_overlap_csv_has_a_row_per_state(client, seeded):
    response = client.get("/mechanisms/overlap/?format=csv")
    rows = read_csv(response)
    assert 'filename="states-by-mechanism.csv"' in response["Content-Disposition"]
    assert rows[0] == [
        "ISO code",
        "State",
        "RCM",
        "CSM",
        "CAM",
        "MIRPS",
        "Quito Process",
        "Mechanisms",
    ]
    assert len(rows) == 36
    brazil = next(row for row in rows if row[0] == "BR")
    assert brazil == ["BR", "Brazil", "", "1", "1", "", "1", "3"]


def test_overlap_csv_neutralises_spreadsheet_formulas(client, db):
    state = make_state(name_en='=HYPERLINK("http://x")')
    make_mechanism(members=[state])
    rows = read_csv(client.get("/mechanisms/overlap/?format=csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_overlap_queries_stay_constant_as_memberships_grow(client, seeded):
    before = queries_for(client, "/mechanisms/overlap/")
    states = [make_state() for _ in range(5)]
    make_mechanism(members=states)
    make_mechanism(members=states[:2], status=MechanismStatus.NOT_IN_OPERATION)
    assert queries_for(client, "/mechanisms/overlap/") == before
    assert Mechanism.objects.count() == 11


def test_member_states_are_in_the_readers_alphabetical_order(client, seeded):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    soup = page(client.get("/mechanisms/mirps/"))
    names = [item.get_text(" ", strip=True) for item in soup.select(".member-states li")]
    assert names == ["Belice", "Costa Rica", "Guatemala", "Honduras", "México", "Panamá"]
