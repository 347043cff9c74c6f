"""What changed between two versions of a text, in bounded time whatever the texts hold.

The history of the notes and summaries compares two revisions of up to 50,000 characters.
difflib's ndiff matched changed lines character by character against each other and took
minutes of CPU on two notes of 28,700 characters (SECURITY.md, finding 3), longer than any
worker's timeout. Here:

- lines are compared first (Myers' O((N+M)·D) algorithm, on line numbers, after the common
  beginning and end are set aside), with a fixed budget of work: past it, the part that is
  left is shown as removed in full, then added in full, and the comparison says so;
- words are lined up only inside short changed lines paired one to one, each pair and all the
  pairs together with a budget of their own; past it, the lines are shown whole.

So the work is bounded by the budgets plus a few passes over the texts, however they differ.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

LINE_BUDGET = 1_000_000  # steps of the line comparison: about a fifth of a second at most
WORD_BUDGET_PER_LINE = 4_000  # steps to line up the words of one pair of changed lines
WORD_BUDGET = 150_000  # and of all the pairs together
PAIR_COST = 50  # steps charged to every pair tried: at most 3,000 pairs, however short
INTRALINE_MAX_CHARS = 400  # longer changed lines are shown whole, with no words highlighted

SAME, REMOVED, ADDED = "same", "removed", "added"
WORDS = re.compile(r"\w+|\s+|[^\w\s]")


class Line(NamedTuple):  # a tuple: 75,000 of them are made in a fraction of the time
    kind: str  # SAME | REMOVED | ADDED
    text: str
    # When only part of a changed line changed: its pieces, (text, changed), in order.
    pieces: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Comparison:
    lines: list[Line]
    lined_up: bool  # False: too many changes; a part is shown as removed whole, then added


class Budget:
    """Steps of work left; spend() says False once they run out."""

    def __init__(self, steps: int):
        self.left = steps

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def compare(older: str, newer: str) -> Comparison:
    """The lines of both texts in order, each marked same, removed or added."""
    old_lines, new_lines = older.splitlines(), newer.splitlines()
    numbers: dict[str, int] = {}
    a = [numbers.setdefault(line, len(numbers)) for line in old_lines]
    b = [numbers.setdefault(line, len(numbers)) for line in new_lines]
    blocks = matching_blocks(a, b, Budget(LINE_BUDGET))
    lined_up = blocks is not None
    if blocks is None:
        start, end_a, end_b = common_ends(a, b)
        blocks = [(0, 0, start), (end_a, end_b, len(a) - end_a)]
    words = Budget(WORD_BUDGET if lined_up else 0)  # lines paired at random: no words
    lines: list[Line] = []
    i = j = 0
    for block_a, block_b, size in [*blocks, (len(a), len(b), 0)]:
        lines.extend(changed(old_lines[i:block_a], new_lines[j:block_b], words))
        lines.extend(Line(SAME, line) for line in old_lines[block_a : block_a + size])
        i, j = block_a + size, block_b + size
    return Comparison(lines, lined_up)


def changed(removed: list[str], added: list[str], budget: Budget) -> list[Line]:
    """A run of removed lines replaced by added ones: the words that changed are marked in
    short lines paired one to one, while the budget lasts."""
    old = [Line(REMOVED, line) for line in removed]
    new = [Line(ADDED, line) for line in added]
    for index, (before, after) in enumerate(zip(removed, added, strict=False)):
        if not before or not after or max(len(before), len(after)) > INTRALINE_MAX_CHARS:
            continue
        if not budget.spend(PAIR_COST):
            break
        pieces = word_pieces(before, after, budget)
        if pieces is not None:
            old[index] = Line(REMOVED, before, pieces[0])
            new[index] = Line(ADDED, after, pieces[1])
    return old + new


def word_pieces(before: str, after: str, budget: Budget):
    """The pieces of both lines, changed or not; None when they have too little in common to
    be worth lining up, or lining them up would cost too much."""
    x, y = WORDS.findall(before), WORDS.findall(after)
    allowed = min(WORD_BUDGET_PER_LINE, budget.left)
    line_budget = Budget(allowed)
    blocks = matching_blocks(x, y, line_budget)
    budget.spend(allowed - max(line_budget.left, 0) + len(x) + len(y))
    if blocks is None:
        return None
    kept = sum(len("".join(x[i : i + size])) for i, _, size in blocks)
    if 2 * kept < (len(before) + len(after)) / 2:  # under half in common: the line changed
        return None
    return pieces_of(x, [(i, size) for i, _, size in blocks]), pieces_of(
        y, [(j, size) for _, j, size in blocks]
    )


def pieces_of(tokens: list[str], kept: list[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, size in [*kept, (len(tokens), 0)]:
        if start > position:
            pieces.append(("".join(tokens[position:start]), True))
        if size:
            pieces.append(("".join(tokens[start : start + size]), False))
        position = start + size
    return tuple(pieces)


def common_ends(a: Sequence, b: Sequence) -> tuple[int, int, int]:
    """(length of the common beginning, where the common end starts in a, in b)."""
    start, limit = 0, min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    return start, end_a, end_b


def matching_blocks(a: Sequence, b: Sequence, budget: Budget) -> list[tuple[int, int, int]] | None:
    """(i, j, size): a[i:i+size] == b[j:j+size], in order, for a shortest edit script;
    None when the budget runs out first."""
    start, end_a, end_b = common_ends(a, b)
    if not budget.spend(2 * (len(a) + len(b))):
        return None
    # An item found in one text only can match nothing: set aside before the search, which
    # then costs nothing when, say, every line changed.
    in_a, in_b = set(a[start:end_a]), set(b[start:end_b])
    kept_a = [i for i in range(start, end_a) if a[i] in in_b]
    kept_b = [j for j in range(start, end_b) if b[j] in in_a]
    middle = myers([a[i] for i in kept_a], [b[j] for j in kept_b], budget)
    if middle is None:
        return None
    blocks = [(0, 0, start)] if start else []
    for i, j, size in middle:
        blocks += [(kept_a[i + step], kept_b[j + step], 1) for step in range(size)]
    if end_a < len(a):
        blocks.append((end_a, end_b, len(a) - end_a))
    return merged(blocks)


def myers(a: Sequence, b: Sequence, budget: Budget) -> list[tuple[int, int, int]] | None:
    """Myers' greedy algorithm (1986): the furthest point reached on each diagonal k = x - y
    with d edits, for d = 0, 1, ...; the rows of each d are kept to walk back the path."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return []
    offset = n + m + 1
    furthest = [0] * (2 * offset + 1)
    trace: list[list[int]] = []
    for d in range(n + m + 1):
        if not budget.spend(2 * d + 1):
            return None
        trace.append(furthest[offset - d - 1 : offset + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[offset + k - 1] < furthest[offset + k + 1]):
                x = furthest[offset + k + 1]  # down: a line added
            else:
                x = furthest[offset + k - 1] + 1  # right: a line removed
            y = x - k
            snake = x
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            if x > snake and not budget.spend(x - snake):
                return None
            furthest[offset + k] = x
            if x >= n and y >= m:
                return walk_back(trace, n, m)
    return None  # not reached: d = n + m always ends


def walk_back(trace: list[list[int]], n: int, m: int) -> list[tuple[int, int, int]]:
    """From (n, m) back to (0, 0): at each d, the edit that led to diagonal k, then the snake
    of equal items after it."""
    blocks: list[tuple[int, int, int]] = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        row = trace[d]  # the furthest x after d - 1 edits, for k in -d-1 .. d+1 at k + d + 1
        k = x - y
        if d == 0:
            edit_x = edit_y = start_x = 0
        elif k == -d or (k != d and row[k + d] < row[k + d + 2]):
            edit_x = row[k + d + 2]  # from diagonal k + 1, a line added
            edit_y = edit_x - k - 1
            start_x = edit_x
        else:
            edit_x = row[k + d]  # from diagonal k - 1, a line removed
            edit_y = edit_x - k + 1
            start_x = edit_x + 1
        if x > start_x:
            blocks.append((start_x, start_x - k, x - start_x))
        x, y = edit_x, edit_y
    return blocks[::-1]


def merged(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    result: list[tuple[int, int, int]] = []
    for i, j, size in blocks:
        if size == 0:
            continue
        if result and result[-1][0] + result[-1][2] == i and result[-1][1] + result[-1][2] == j:
            previous = result.pop()
            result.append((previous[0], previous[1], previous[2] + size))
        else:
            result.append((i, j, size))
    return result
