import re

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from meetings.services.links import link_path

pytestmark = pytest.mark.browser
SLUG = "migration-governance-2022"


def test_the_switcher_moves_between_the_four_languages_and_is_remembered(
    directory_site, page, page_errors
):
    page.goto(f"{directory_site.url}/mechanisms/")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".mechanism-card").first).to_contain_text(
        "Conférence régionale sur les migrations"
    )
    page.goto(f"{directory_site.url}/mechanisms/overlap/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("button", name="Português").click()
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Membership overlap")
    assert page_errors == []


@pytest.mark.parametrize(
    ("language", "confirm", "thanks", "save", "question"),
    [
        ("fr", "Confirmer ma participation", "confirmée", "Enregistrer le brouillon", "défis"),
        ("pt", "Confirmar participação", "confirmada", "Salvar rascunho", "desafios"),
    ],
)
def test_a_panelist_uses_the_portal_in_their_language(
    directory_site, page, page_errors, language, confirm, thanks, save, question
):
    panelist = Meeting.objects.get(slug=SLUG).panelists.first()
    panelist.preferred_language = language
    panelist.save()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{directory_site.url}{link_path(panelist)}")

    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_role("button", name=confirm).click()
    expect(page.locator(".messages")).to_contain_text(thanks)
    answer = page.get_by_role("textbox", name=re.compile(question))
    answer.first.fill("Texte / texto.")
    page.get_by_role("button", name=save).first.click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile(question)).first).to_have_value(
        "Texte / texto."
    )
    assert page_errors == []
