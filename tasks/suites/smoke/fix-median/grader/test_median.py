import pytest
from stats import mean, median, mode, spread


def test_odd_length():
    assert median([3, 1, 2]) == 2


def test_even_length():
    assert median([1, 2, 3, 4]) == 2.5


def test_unsorted_even():
    assert median([10, 2, 8, 4]) == 6


def test_single():
    assert median([7]) == 7


def test_empty_raises():
    with pytest.raises(ValueError):
        median([])


def test_input_not_mutated():
    data = [3, 1, 2]
    median(data)
    assert data == [3, 1, 2]


def test_others_unchanged():
    assert mean([1, 2, 3]) == 2
    assert mode([1, 2, 2, 3, 3]) == 2
    assert spread([4, 9, 1]) == 8
