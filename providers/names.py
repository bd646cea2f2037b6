"""Names for the state-scale generator (``seed_demo --providers N``), drawn the way real names
fall: a few very common (the most common surname about 1% of people, as "Smith" is in the US
census), a long tail of rare ones, over at least 50,000 surnames.

Everything is made here, deterministically, from a short head of real names and syllables: no
list is downloaded and the same ranks come out on every machine. Ranks follow a Zipf–Mandelbrot
law, weight(rank) = 1 / (rank + OFFSET): the offset flattens the head so the first name is ~1%
of draws instead of the ~9% a pure Zipf law over 60,000 names would give it.
"""

import random
from functools import cache
from itertools import accumulate, product

# Ranked heads (real names, the most common first): the generated tail follows them.
SURNAME_HEAD = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
]
FIRST_HEAD = [
    "James",
    "Mary",
    "Michael",
    "Patricia",
    "Robert",
    "Jennifer",
    "John",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Christopher",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Donald",
    "Emily",
    "Steven",
    "Kimberly",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kevin",
    "Carol",
    "Brian",
    "Amanda",
    "Alex",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Drew",
]

SURNAME_COUNT = 60_000
SURNAME_OFFSET = 10.5  # rank 1 ≈ 1.0% of draws over 60,000 surnames
FIRST_NAME_COUNT = 5_000
FIRST_NAME_OFFSET = 3  # rank 1 ≈ 3.4%, as the most common first names are

ONSETS = [
    "B",
    "Br",
    "C",
    "Ch",
    "Cl",
    "D",
    "Dr",
    "F",
    "Fl",
    "G",
    "Gr",
    "H",
    "J",
    "K",
    "L",
    "M",
    "N",
    "P",
    "Pr",
    "R",
    "S",
    "Sh",
    "St",
    "T",
    "Th",
    "Tr",
    "V",
    "W",
    "Wh",
    "Y",
]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
CODAS = ["", "l", "n", "r", "s", "t", "m", "ck", "d", "rn", "ld", "nd", "sh"]
SURNAME_ENDINGS = [""] + [
    "son",
    "ton",
    "ley",
    "man",
    "er",
    "well",
    "wood",
    "field",
    "berg",
    "ford",
    "by",
    "ham",
    "stein",
    "ski",
    "ez",
    "ino",
    "ard",
    "ett",
    "ick",
    "an",
    "ow",
    "sen",
    "mann",
    "is",
    "o",
    "es",
    "y",
    "ridge",
    "worth",
]
FIRST_NAME_ENDINGS = [""] + ["a", "ie", "y", "en", "el", "ia", "o", "an"]


def _ranked(head: list[str], endings: list[str], count: int, seed: int) -> tuple[str, ...]:
    """The head, then generated names (root + ending) in a fixed shuffled order: ``count`` in
    all, every one distinct."""
    seen = set(head)
    generated = []
    for onset, vowel, coda, ending in product(ONSETS, VOWELS, CODAS, endings):
        name = f"{onset}{vowel}{coda}{ending}"
        if len(name) > 2 and name not in seen:
            seen.add(name)
            generated.append(name)
    random.Random(seed).shuffle(generated)
    names = (*head, *generated)
    if len(names) < count:
        raise ValueError(f"Only {len(names)} distinct names, {count} wanted.")
    return names[:count]


def _cumulative(count: int, offset: float) -> list[float]:
    return list(accumulate(1 / (rank + offset) for rank in range(1, count + 1)))


@cache
def surnames() -> tuple[tuple[str, ...], list[float]]:
    """Every surname, most common first, and the cumulative weights to draw them with."""
    names = _ranked(SURNAME_HEAD, SURNAME_ENDINGS, SURNAME_COUNT, seed=1790)
    return names, _cumulative(len(names), SURNAME_OFFSET)


@cache
def first_names() -> tuple[tuple[str, ...], list[float]]:
    names = _ranked(FIRST_HEAD, FIRST_NAME_ENDINGS, FIRST_NAME_COUNT, seed=1880)
    return names, _cumulative(len(names), FIRST_NAME_OFFSET)


def share_of_rank(rank: int, *, count: int = SURNAME_COUNT, offset: float = SURNAME_OFFSET):
    """The expected share of draws of the surname of this rank (1 = the most common)."""
    return (1 / (rank + offset)) / _cumulative(count, offset)[-1]


def draw_names(rng: random.Random, k: int) -> list[tuple[str, str]]:
    """``k`` (first name, last name) pairs drawn from ``rng`` (deterministic for a seed)."""
    last, last_weights = surnames()
    first, first_weights = first_names()
    return list(
        zip(
            rng.choices(first, cum_weights=first_weights, k=k),
            rng.choices(last, cum_weights=last_weights, k=k),
            strict=True,
        )
    )
