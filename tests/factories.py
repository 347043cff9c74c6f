"""Small builders of valid records; each test states only what it is about."""

from itertools import count

from mechanisms.models import Mechanism, MechanismKind, Membership, MemberState, Subregion

_numbers = count(1)
# ISO 3166-1 keeps these codes for private use, so they never clash with the seeds.
PRIVATE_CODES = [f"Q{letter}" for letter in "MNOPQRSTUVWXYZ"] + [
    f"X{chr(c)}" for c in range(65, 91)
]


def make_state(**fields) -> MemberState:
    number = next(_numbers)
    letters = PRIVATE_CODES[number % len(PRIVATE_CODES)]
    defaults = {
        "code": letters,
        "alpha3": f"{letters}X",
        "name_en": f"State {number}",
        "name_es": f"Estado {number}",
        "subregion": Subregion.CARIBBEAN,
    }
    return MemberState.objects.create(**{**defaults, **fields})


def make_mechanism(members=(), **fields) -> Mechanism:
    number = next(_numbers)
    defaults = {
        "slug": f"mechanism-{number}",
        "position": number,
        "acronym_en": f"M{number}",
        "acronym_es": f"M{number}",
        "name_en": f"Mechanism {number}",
        "name_es": f"Mecanismo {number}",
        "kind": MechanismKind.REGIONAL_CONSULTATIVE_PROCESS,
        "description_en": f"What mechanism {number} does.",
    }
    mechanism = Mechanism.objects.create(**{**defaults, **fields})
    for state in members:
        Membership.objects.create(mechanism=mechanism, state=state)
    return mechanism
