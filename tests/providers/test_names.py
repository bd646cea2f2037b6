"""The state-scale generator's names (providers.names): a skewed draw over at least 50,000
surnames, the most common about 1% of people, the same on every run."""

import random
from collections import Counter

from providers import names


def test_at_least_fifty_thousand_distinct_surnames_and_real_ones_first():
    surnames, weights = names.surnames()
    assert len(set(surnames)) == len(surnames) >= 50_000
    assert surnames[:3] == ("Smith", "Johnson", "Williams")
    assert all(name[0].isupper() and name.isalpha() for name in surnames)
    assert len(weights) == len(surnames) and weights == sorted(weights)


def test_the_most_common_surname_is_about_one_percent_of_a_sample():
    drawn = names.draw_names(random.Random(7), 200_000)
    surnames = Counter(last for _, last in drawn)
    (top, count), *_ = surnames.most_common()
    assert top == "Smith"
    assert 0.008 <= count / 200_000 <= 0.012  # expected 1.0%
    assert abs(names.share_of_rank(1) - 0.01) < 0.001
    assert len(surnames) > 30_000  # a long tail: most surnames are rare
    assert surnames.most_common(100)[-1][1] < count / 5  # skewed, not uniform
    first = Counter(first for first, _ in drawn)
    assert first.most_common(1)[0][0] == "James" and len(first) > 2_000


def test_the_draw_is_the_same_for_the_same_seed():
    assert names.draw_names(random.Random(1), 50) == names.draw_names(random.Random(1), 50)
    assert names.draw_names(random.Random(1), 50) != names.draw_names(random.Random(2), 50)
