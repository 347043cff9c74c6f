"""Building blocks of a Word document (python-docx), whatever it holds: text XML can hold,
centred lines, "Label: text" paragraphs, page-number fields, and tables sized to their content
that read well over several pages.

Every text goes in as a plain run: nothing a user typed is read as markup.
"""

import re

from meetings.outputs.record_text import colon

# Characters XML 1.0 cannot hold (a paste from another program may carry them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# An average character of 11 pt Calibri, and a cell's inner margins, in centimetres.
CHARACTER_CM = 0.21
CELL_PADDING_CM = 0.4


def xml_safe(text: object) -> str:
    return NOT_XML.sub("", str(text))


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words (never mid-word) with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def new_page_section(document):
    """A section on a new page that keeps the running header and footer (new sections are
    linked to the first; only the title page goes without them)."""
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    return section


def centred(document, text: str, *, size: int, bold: bool = False, style: str = "") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = document.add_paragraph(style=style or None)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold
    run.font.size = Pt(size)
    if style:  # the style names the paragraph; the title page keeps its own look
        run.font.color.rgb = RGBColor(0, 0, 0)


def labelled(document, label: str, text: str) -> None:
    """ "Label: text" with the label in bold; the text's further lines as paragraphs of their
    own, a dash for no text."""
    paragraph = document.add_paragraph()
    paragraph.add_run(colon(label) + " ").bold = True
    lines = xml_safe(text or "—").splitlines() or ["—"]
    paragraph.add_run(lines[0])
    for line in lines[1:]:
        document.add_paragraph(line)


def page_numbers(paragraph, sentence: str) -> None:
    """The translated sentence with its %(page)s and %(pages)s as fields, wherever the language
    puts them."""
    for part in re.split(r"(%\((?:page|pages)\)s)", sentence):
        if part == "%(page)s":
            add_field(paragraph, "PAGE")
        elif part == "%(pages)s":
            add_field(paragraph, "NUMPAGES")
        elif part:
            paragraph.add_run(part)


def add_field(paragraph, instruction: str) -> None:
    """A field the word processor computes as it lays out each page (PAGE, NUMPAGES)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(char("end"))


def column_widths(texts: list[list[str]], available_cm: float) -> list[float]:
    """Each column as wide as its content asks, and never narrower than its longest word
    (a word broken as "Overtim|e" is unreadable); what is left goes to the columns with the
    most text. `texts` holds the header and every row."""
    columns = list(zip(*texts, strict=True))
    shortest = [
        max(len(word) for cell in column for word in (cell.split() or [""])) * CHARACTER_CM
        + CELL_PADDING_CM
        for column in columns
    ]
    wanted = [
        max(max(len(line) for line in (cell.splitlines() or [""])) for cell in column)
        * CHARACTER_CM
        + CELL_PADDING_CM
        for column in columns
    ]
    wanted = [max(want, short) for want, short in zip(wanted, shortest, strict=True)]
    if sum(wanted) <= available_cm:  # the page's width, the room left to the text columns
        spare = available_cm - sum(wanted)
        extra = [want - short for want, short in zip(wanted, shortest, strict=True)]
        weights = extra if sum(extra) else wanted
        return [
            want + spare * weight / sum(weights)
            for want, weight in zip(wanted, weights, strict=True)
        ]
    if sum(shortest) >= available_cm:  # too many columns for the page: share it by words
        return [available_cm * short / sum(shortest) for short in shortest]
    spare = available_cm - sum(shortest)
    extra = [want - short for want, short in zip(wanted, shortest, strict=True)]
    return [short + spare * more / sum(extra) for short, more in zip(shortest, extra, strict=True)]


def add_table(document, labels: list[str], rows: list[list[str]]):
    """A table with a bold header row that repeats on every page it runs over, columns sized
    to their content, and rows that never split across pages."""
    table = document.add_table(rows=1, cols=len(labels))
    table.style = "Light Grid Accent 1"
    table.autofit = False
    header(table, labels)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = xml_safe(text)
    keep_rows_whole(table)
    size_columns(document, table, [[str(text) for text in row] for row in [labels, *rows]])
    return table


def header(table, labels: list[str]) -> None:
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(label)).bold = True


def keep_rows_whole(table) -> None:
    """No row split across two pages, and the first row repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index == 0:
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            properties.append(repeat)


def size_columns(document, table, texts: list[list[str]]) -> None:
    """The columns' widths from `column_widths`, over the width of the page's text."""
    from docx.shared import Cm

    section = document.sections[-1]
    available = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
    for column, width in zip(table.columns, column_widths(texts, available), strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Cm(width)  # each cell, which Word reads
