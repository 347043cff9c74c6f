"""Building blocks of a Word document: text XML can hold, shortened titles, page-number fields,
columns sized to their content."""

import docx

from meetings.outputs.docx_blocks import column_widths, page_numbers, shortened, xml_safe
from tests.meetings.outputs.read_back import fields


def test_the_page_numbers_go_where_the_sentence_puts_them():
    paragraph = docx.Document().add_paragraph()
    page_numbers(paragraph, "%(pages)s pages, page %(page)s")
    assert fields(paragraph) == ["NUMPAGES", "PAGE"]
    assert paragraph.text == "1 pages, page 1"


def test_xml_safe_drops_what_xml_cannot_hold_and_keeps_the_rest():
    assert xml_safe("Tab\tline\nvertical\x0btab\x01 é <b>") == "Tab\tline\nverticaltab é <b>"


def test_a_short_text_is_not_shortened():
    assert shortened("Migration governance", 20) == "Migration governance"


def test_a_long_text_is_cut_between_words_without_a_trailing_comma():
    assert shortened("Migration governance, in the Americas", 25) == "Migration governance…"


def test_a_single_long_word_is_cut_where_it_must():
    assert shortened("A" * 30, 10) == "A" * 9 + "…"


def test_columns_fit_their_content_and_share_what_is_left_by_their_text():
    texts = [["Round", "Speaker"], ["1", "RCM — Regional Conference on Migration"]]
    narrow, wide = column_widths(texts, available_cm=16)
    assert narrow + wide == 16
    assert narrow == 0.4 + 5 * 0.21  # "Round": the longest word, and nothing more
    assert wide > 0.4 + 38 * 0.21  # the whole line, and the spare width


def test_too_many_columns_share_the_page_by_their_longest_words():
    texts = [["Overtime"] * 20]
    widths = column_widths(texts, available_cm=16)
    assert widths == [16 / 20] * 20
