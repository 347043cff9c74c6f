"""The comparison of two revisions: right (it rebuilds both texts, with as few changes as can
be), and bounded (under a second of CPU for two texts of 50,000 characters, whatever they hold:
SECURITY.md, finding 3: difflib took 115 s on two notes of 28,700 characters)."""

import itertools
import random
import string
import time

import pytest

from config.common.text_diff import Budget, compare, matching_blocks
from meetings.models import NOTES_MAX_LENGTH


def rebuilt(comparison) -> tuple[list[str], list[str]]:
    older = [line.text for line in comparison.lines if line.kind != "added"]
    newer = [line.text for line in comparison.lines if line.kind != "removed"]
    return older, newer


def longest_common(a, b) -> int:
    """The length of the longest common subsequence, the slow sure way."""
    row = [0] * (len(b) + 1)
    for item in a:
        previous_diagonal = 0
        for j, other in enumerate(b):
            previous_diagonal, row[j + 1] = (
                row[j + 1],
                previous_diagonal + 1 if item == other else max(row[j + 1], row[j]),
            )
    return row[-1]


def test_the_comparison_keeps_unchanged_lines_and_marks_the_others():
    comparison = compare("alpha\nbeta\ngamma", "alpha\ngamma\ndelta")
    assert [(line.kind, line.text) for line in comparison.lines] == [
        ("same", "alpha"),
        ("removed", "beta"),
        ("same", "gamma"),
        ("added", "delta"),
    ]
    assert comparison.lined_up


def test_random_small_texts_are_rebuilt_with_as_few_changes_as_can_be():
    chance = random.Random(13)
    for _ in range(1500):
        a = [chance.choice("abc") for _ in range(chance.randint(0, 12))]
        b = [chance.choice("abc") for _ in range(chance.randint(0, 12))]
        blocks = matching_blocks(a, b, Budget(10**6))
        position_a = position_b = 0
        for i, j, size in blocks:
            assert i >= position_a and j >= position_b and a[i : i + size] == b[j : j + size]
            position_a, position_b = i + size, j + size
        assert sum(size for _, _, size in blocks) == longest_common(a, b)
        older, newer = "\n".join(a), "\n".join(b)
        assert rebuilt(compare(older, newer)) == (older.splitlines(), newer.splitlines())


def test_only_the_words_that_changed_are_marked_in_a_short_changed_line():
    comparison = compare("The panel met on Monday.\nEnd", "The panel met on Tuesday.\nEnd")
    removed, added = comparison.lines[0], comparison.lines[1]
    assert removed.pieces == (("The panel met on ", False), ("Monday", True), (".", False))
    assert added.pieces == (("The panel met on ", False), ("Tuesday", True), (".", False))
    assert comparison.lines[2].text == "End"


def test_a_line_rewritten_entirely_or_a_long_line_is_shown_whole():
    rewritten = compare("The panel met on Monday.", "Questions from the floor followed.")
    assert [line.pieces for line in rewritten.lines] == [(), ()]
    long_line = "word " * 200
    changed = compare(long_line + "one", long_line + "two")
    assert [line.pieces for line in changed.lines] == [(), ()]


def test_past_the_budget_the_changed_part_is_shown_removed_then_added_and_said_so():
    chance = random.Random(5)
    older = "start\n" + "\n".join(chance.choice("ab") for _ in range(20_000)) + "\nend"
    newer = "start\n" + "\n".join(chance.choice("ab") for _ in range(20_000)) + "\nend"
    comparison = compare(older, newer)
    assert not comparison.lined_up
    runs = [kind for kind, _ in itertools.groupby(line.kind for line in comparison.lines)]
    assert runs == ["same", "removed", "added", "same"]  # the common beginning and end kept
    assert all(not line.pieces for line in comparison.lines)  # lines paired at random: no words
    assert rebuilt(comparison) == (older.splitlines(), newer.splitlines())


def random_text(chance: random.Random, alphabet: str) -> str:
    return "".join(chance.choice(alphabet) for _ in range(NOTES_MAX_LENGTH))


def words(chance: random.Random, count: int) -> str:
    return " ".join(chance.choice(["la", "de", "el", "panel", "mechanism"]) for _ in range(count))


def worst_cases() -> dict[str, tuple[str, str]]:
    chance = random.Random(13)
    size = NOTES_MAX_LENGTH
    return {
        "random text": (
            random_text(chance, string.ascii_letters + "  \n"),
            random_text(chance, string.ascii_letters + "  \n"),
        ),
        "one line of 50,000 characters": ("a" * size, "b" * (size // 2) + "a" * (size // 2)),
        "one random line each": (random_text(chance, "ab "), random_text(chance, "ab ")),
        "alternating lines": ("a\nb\n" * (size // 4), "b\na\n" * (size // 4)),
        "every line changed": ("x\n" * (size // 2), "y\n" * (size // 2)),
        "empty lines against short ones": ("\n" * size, "x\n" * (size // 2)),
        "lines from two values": tuple(
            "\n".join(chance.choice("ab") for _ in range(size // 2))[:size] for _ in range(2)
        ),
        "short lines of common words": tuple(
            "\n".join(words(chance, 3) for _ in range(size // 10))[:size] for _ in range(2)
        ),
        "long lines of common words": tuple(
            "\n".join(words(chance, 80) for _ in range(size // 400))[:size] for _ in range(2)
        ),
        "changed lines of 399 characters, one-letter words": tuple(
            "\n".join(" ".join(chance.choice("ab") for _ in range(200)) for _ in range(130))[:size]
            for _ in range(2)
        ),
        "short changed lines with words in common": (
            "\n".join(f"{words(chance, 8)} {n}" for n in range(size // 40))[:size],
            "\n".join(f"{words(chance, 8)} {n + 1}" for n in range(size // 40))[:size],
        ),
    }


@pytest.mark.parametrize("case", worst_cases().items(), ids=lambda case: case[0])
def test_two_texts_of_the_maximum_length_are_compared_in_under_a_second_of_cpu(case):
    _, (older, newer) = case
    assert len(older) <= NOTES_MAX_LENGTH and len(newer) <= NOTES_MAX_LENGTH
    assert len(older) > NOTES_MAX_LENGTH * 0.9 and len(newer) > NOTES_MAX_LENGTH * 0.9
    started = time.process_time()
    comparison = compare(older, newer)
    assert time.process_time() - started < 1
    assert rebuilt(comparison) == (older.splitlines(), newer.splitlines())
