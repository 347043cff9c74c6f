"""Which states belong to which mechanisms, and what two mechanisms share.

Pure arithmetic over the membership pairs; the view fetches them in three
queries whatever the size of the directory.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Overlap[M: Hashable, S: Hashable]:
    """Memberships of states (S) in mechanisms (M)."""

    mechanisms: Sequence[M]  # those whose members are listed, in display order
    states: Sequence[S]
    members: dict[M, frozenset[S]] = field(repr=False)

    @classmethod
    def build(
        cls, mechanisms: Iterable[M], states: Iterable[S], pairs: Iterable[tuple[M, S]]
    ) -> "Overlap[M, S]":
        members: dict[M, set[S]] = {}
        for mechanism, state in pairs:
            members.setdefault(mechanism, set()).add(state)
        listed = [mechanism for mechanism in mechanisms if members.get(mechanism)]
        return cls(
            mechanisms=listed,
            states=list(states),
            members={mechanism: frozenset(members[mechanism]) for mechanism in listed},
        )

    def is_member(self, state: S, mechanism: M) -> bool:
        return state in self.members.get(mechanism, frozenset())

    def shared(self, first: M, second: M) -> frozenset[S]:
        return self.members.get(first, frozenset()) & self.members.get(second, frozenset())

    def mechanisms_of(self, state: S) -> list[M]:
        return [mechanism for mechanism in self.mechanisms if self.is_member(state, mechanism)]

    def state_rows(self) -> list[tuple[S, list[bool]]]:
        """Each state with one flag per mechanism column."""
        return [
            (state, [self.is_member(state, mechanism) for mechanism in self.mechanisms])
            for state in self.states
        ]

    def shared_rows(self) -> list[tuple[M, list[int]]]:
        """Each mechanism with the number of members it shares with each column."""
        return [
            (first, [len(self.shared(first, second)) for second in self.mechanisms])
            for first in self.mechanisms
        ]
