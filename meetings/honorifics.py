"""Honorifics: a choice of the usual forms of address, written in the reader's language.

A panelist's honorific is stored as a key (`Honorific`), or as `other` with the text the
secretariat typed. The key is written as each language writes it before a name ("Ms." in
English, "Sra." in Spanish, "Mme" in French, "Sra." in Portuguese), and it tells the
salutation of an email its grammatical gender where the language needs one ("Estimada
Sra. Ana Pérez:", "Estimado Sr. Luis Gómez:"); without a key that tells it (H.E., a typed
honorific, none) the salutation stays neutral ("Estimado/a …:").

The forms and salutations are tables here rather than catalogue entries: they are facts of
each language's usage (like a mechanism's name in four languages), which a translator of the
interface would otherwise have to guess from an English abbreviation that is the same for a
man and a woman ("Dr." is "Dr." or "Dra." in Spanish). A language of settings.LANGUAGES
without its own entry falls back to English; a test holds every language to having one.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FEMININE, MASCULINE = "f", "m"


class Honorific(models.TextChoices):
    """The choice the forms offer (labels in the secretariat's language)."""

    NONE = "", _("No honorific")
    EXCELLENCY = "he", _("H.E. (Excellency)")
    AMBASSADOR_M = "amb_m", _("Ambassador (man)")
    AMBASSADOR_F = "amb_f", _("Ambassador (woman)")
    HONOURABLE = "hon", _("Hon. (Honourable)")
    MR = "mr", _("Mr.")
    MS = "ms", _("Ms.")
    MRS = "mrs", _("Mrs.")
    DR_M = "dr_m", _("Dr. (man)")
    DR_F = "dr_f", _("Dr. (woman)")
    PROF_M = "prof_m", _("Prof. (man)")
    PROF_F = "prof_f", _("Prof. (woman)")
    OTHER = "other", _("Other (write it)")


# The grammatical gender each key tells; a key absent here tells none.
GENDER = {
    Honorific.AMBASSADOR_M: MASCULINE,
    Honorific.AMBASSADOR_F: FEMININE,
    Honorific.MR: MASCULINE,
    Honorific.MS: FEMININE,
    Honorific.MRS: FEMININE,
    Honorific.DR_M: MASCULINE,
    Honorific.DR_F: FEMININE,
    Honorific.PROF_M: MASCULINE,
    Honorific.PROF_F: FEMININE,
}

# How each language writes the honorific before a name.
WRITTEN: dict[str, dict[str, str]] = {
    "en": {
        "he": "H.E.",
        "amb_m": "Amb.",
        "amb_f": "Amb.",
        "hon": "Hon.",
        "mr": "Mr.",
        "ms": "Ms.",
        "mrs": "Mrs.",
        "dr_m": "Dr.",
        "dr_f": "Dr.",
        "prof_m": "Prof.",
        "prof_f": "Prof.",
    },
    "es": {
        "he": "S.E.",
        "amb_m": "Embajador",
        "amb_f": "Embajadora",
        "hon": "Hon.",
        "mr": "Sr.",
        "ms": "Sra.",
        "mrs": "Sra.",
        "dr_m": "Dr.",
        "dr_f": "Dra.",
        "prof_m": "Prof.",
        "prof_f": "Profa.",
    },
    "fr": {
        "he": "S.E.",
        "amb_m": "Ambassadeur",
        "amb_f": "Ambassadrice",
        "hon": "L’hon.",
        "mr": "M.",
        "ms": "Mme",
        "mrs": "Mme",
        "dr_m": "Dr",
        "dr_f": "Dr",
        "prof_m": "Pr",
        "prof_f": "Pr",
    },
    "pt": {
        "he": "S.Exa.",
        "amb_m": "Embaixador",
        "amb_f": "Embaixadora",
        "hon": "Exmo(a).",
        "mr": "Sr.",
        "ms": "Sra.",
        "mrs": "Sra.",
        "dr_m": "Dr.",
        "dr_f": "Dra.",
        "prof_m": "Prof.",
        "prof_f": "Profa.",
    },
}

# The salutation of an email, by the gender the honorific tells (None: it tells none).
SALUTATIONS: dict[str, dict[str | None, str]] = {
    "en": {FEMININE: "Dear {name},", MASCULINE: "Dear {name},", None: "Dear {name},"},
    "es": {FEMININE: "Estimada {name}:", MASCULINE: "Estimado {name}:", None: "Estimado/a {name}:"},
    "fr": {FEMININE: "Chère {name},", MASCULINE: "Cher {name},", None: "Cher/Chère {name},"},
    "pt": {FEMININE: "Prezada {name},", MASCULINE: "Prezado {name},", None: "Prezado(a) {name},"},
}


def language_of(language: str | None) -> str:
    """The table's language for a language code (es-419 → es; unknown → en)."""
    code = (language or "en").split("-")[0].lower()
    return code if code in WRITTEN else "en"


def written(key: str, other: str = "", *, language: str | None = None) -> str:
    """The honorific as `language` (default: the active one) writes it before a name."""
    if key == Honorific.OTHER:
        return other.strip()
    return WRITTEN[language_of(language or get_language())].get(key, "")


def salutation(name: str, key: str, *, language: str | None = None) -> str:
    """ "Estimada Sra. Ana Pérez:": `name` as shown (with the honorific), agreed in gender."""
    table = SALUTATIONS[language_of(language or get_language())]
    return table[GENDER.get(key)].format(name=name)


# Free texts written before honorifics were keys, and the key each one means. Only texts that
# say which form is meant are here: "Dr.", "Prof." or "Ambassador" alone do not tell a man from
# a woman, so they stay as typed (`other`). Compared without case, spaces and dots.
KNOWN_TEXTS = {
    "he": "he",
    "hisexcellency": "he",
    "herexcellency": "he",
    "se": "he",
    "sexa": "he",
    "mr": "mr",
    "mister": "mr",
    "sr": "mr",
    "senor": "mr",
    "señor": "mr",
    "m": "mr",
    "monsieur": "mr",
    "ms": "ms",
    "mme": "ms",
    "madame": "ms",
    "sra": "ms",
    "senora": "ms",
    "señora": "ms",
    "mrs": "mrs",
    "dra": "dr_f",
    "doctora": "dr_f",
    "profa": "prof_f",
    "profesora": "prof_f",
    "professora": "prof_f",
    "embajador": "amb_m",
    "embajadora": "amb_f",
    "embaixador": "amb_m",
    "embaixadora": "amb_f",
    "ambassadrice": "amb_f",
    "hon": "hon",
    "honourable": "hon",
    "honorable": "hon",
}


def from_text(text: str) -> tuple[str, str]:
    """(key, other text) for an honorific typed as free text: its key where the text names
    one form without doubt, else `other` with the text as typed ("" stays "")."""
    text = " ".join(text.split())
    if not text:
        return Honorific.NONE.value, ""
    folded = "".join(text.lower().replace(".", " ").split())
    key = KNOWN_TEXTS.get(folded)
    if key is not None:
        return key, ""
    return Honorific.OTHER.value, text
