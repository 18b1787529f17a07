import pytest

from linli.domain.services.wellbeing import score


def answers(p1, p2, g1, g2):
    return {"phq1": p1, "phq2": p2, "gad1": g1, "gad2": g2}


@pytest.mark.parametrize(
    ("given", "hours", "offer", "rest"),
    [
        (answers(1, 1, 1, 1), 40, False, False),
        (answers(2, 1, 0, 0), 10, True, True),  # PHQ-2 = 3
        (answers(0, 0, 1, 2), 10, True, True),  # GAD-2 = 3
        (answers(1, 1, 1, 1), 60, False, True),  # a long week alone needs rest
    ],
)
def test_threshold_three_on_either_scale_offers_support(given, hours, offer, rest):
    result = score(given, hours)
    assert (result.offer_support, result.rest_needed) == (offer, rest)


@pytest.mark.parametrize("bad", [None, "x", 4, -1])
def test_answers_outside_0_to_3_are_refused_naming_the_item(bad):
    with pytest.raises(ValueError, match="gad2"):
        score(answers(0, 0, 0, bad), 0)
