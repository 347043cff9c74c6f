"""Which other mechanisms an answer proposes to coordinate with: suggestions found in its text.

Acronyms match as whole words, case and all (CRM, CSM, R4V, PGM); names match in
English, Spanish, French or Portuguese whatever the case and accents ("Proceso de
Quito", "pacto mundial para la migración", "Processus de Quito"). The secretariat
or the panelist confirms a suggestion; nothing is marked without them.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from config.common.text import sort_key

LANGUAGES = ("en", "es", "fr", "pt")

# Names people use that the directory does not hold as such.
ALIASES = {
    "gcm": [
        "Global Compact for Migration",
        "Pacto Mundial para la Migración",
        "Pacto de Marrakech",
    ],
    "gcr": ["Pacto Mundial sobre los Refugiados", "Pacto Mundial sobre Refugiados"],
    "r4v": ["Plataforma R4V", "R4V Platform"],
    "quito-process": ["Proceso de Quito"],
    "rcm": ["Proceso Puebla", "Puebla Process"],
}


@dataclass(frozen=True)
class Named:
    """What a suggestion needs to know of a mechanism."""

    slug: str
    acronyms: tuple[str, ...]
    names: tuple[str, ...]


def named(mechanism) -> Named:
    """Every acronym and name of the mechanism in the four languages, and its aliases: a
    panelist may answer in any of them."""
    acronyms = {getattr(mechanism, f"acronym_{language}") for language in LANGUAGES} - {""}
    names = {
        *(getattr(mechanism, f"name_{language}") for language in LANGUAGES),
        *(getattr(mechanism, f"other_name_{language}") for language in LANGUAGES),
        *ALIASES.get(mechanism.slug, []),
    } - {""}
    # A "short name" such as "Quito Process" is matched as a name, not as an acronym.
    return Named(
        slug=mechanism.slug,
        acronyms=tuple(sorted(a for a in acronyms if " " not in a)),
        names=tuple(sorted(names | {a for a in acronyms if " " in a})),
    )


def suggest(text: str, mechanisms: Iterable[Named], *, own: str | None = None) -> list[str]:
    """Slugs of the mechanisms the text names, in the order given, the speaker's own left out."""
    folded = sort_key(text)
    found = []
    for mechanism in mechanisms:
        if mechanism.slug == own:
            continue
        by_acronym = any(
            re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text)
            for acronym in mechanism.acronyms
        )
        by_name = any(
            re.search(rf"(?<!\w){re.escape(sort_key(name))}(?!\w)", folded)
            for name in mechanism.names
        )
        if by_acronym or by_name:
            found.append(mechanism.slug)
    return found


def merged_choice(saved: set[int], seen: set[int], chosen: set[int]) -> set[int]:
    """What a form's ticks change, applied to what is saved now: the boxes ticked or unticked
    since the form showed `seen`, and nothing else. So a page opened before someone else
    marked a mechanism neither undoes that mark nor loses its own."""
    return (saved | (chosen - seen)) - (seen - chosen)


def seen_text(ids) -> str:
    """The ticks a page shows, as it sends them back to say what it saw: "3,7,12"."""
    return ",".join(str(pk) for pk in sorted(ids))
