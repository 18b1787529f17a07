from pathlib import Path

import pytest

from linli.domain.rostering.io import parse_instance, parse_roster

DATA = Path(__file__).resolve().parents[3] / "bench" / "rostering" / "data"

# Two weeks, two employees. A may work D and up to 3 N; B never N and has no minimum.
SMALL = """\
# a hand-made instance for the tests
SECTION_HORIZON
14

SECTION_SHIFTS
D,480,
N,480,D

SECTION_STAFF
A,D=14|N=3,3600,3360,3,2,2,1
B,D=14|N=0,4800,0,3,2,2,1

SECTION_DAYS_OFF
A,0
B,3

SECTION_SHIFT_ON_REQUESTS
A,1,D,2
A,4,D,3

SECTION_SHIFT_OFF_REQUESTS
A,2,D,1
B,5,D,2

SECTION_COVER
""" + "".join(f"{d},D,1,100,1\n{d},N,0,100,1\n" for d in range(14))

# A valid roster for SMALL: A works days 1-3, 7-8 (D, N) and 11-12; B is off throughout.
A_ROW = ["", "D", "D", "D", "", "", "", "D", "N", "", "", "D", "D", ""]
B_ROW = [""] * 14


@pytest.fixture
def small():
    return parse_instance(SMALL, "small.txt")


def grid(instance, a_row=A_ROW, b_row=B_ROW):
    text = "\t".join(a_row) + "\n" + "\t".join(b_row) + "\n"
    return parse_roster(text, instance, "roster.txt")
