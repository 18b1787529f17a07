import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from linli.domain.screening.chart import Series, line_chart
from linli.domain.screening.deadlines import is_late, parse_time
from linli.domain.screening.quarantine import countdown, planned_end


def test_fourteen_days_counting_the_first():
    start = dt.date(2026, 3, 1)
    end = planned_end(start)
    assert end == dt.date(2026, 3, 14)
    assert countdown(start, end, dt.date(2026, 3, 1)).day_number == 1
    last = countdown(start, end, end)
    assert (last.day_number, last.days_left, last.overdue) == (14, 0, False)
    late = countdown(start, end, dt.date(2026, 3, 16))
    assert (late.overdue, late.days_overdue) == (True, 2)
    with pytest.raises(ValueError):
        planned_end(start, 0)


def test_deadline():
    tz = dt.timezone(dt.timedelta(hours=8))
    ten = parse_time("10:00")
    day = dt.date(2026, 3, 2)
    assert not is_late(day, ten, dt.datetime(2026, 3, 2, 9, 59, tzinfo=tz))
    assert is_late(day, ten, dt.datetime(2026, 3, 2, 10, 0, tzinfo=tz))
    with pytest.raises(ValueError, match="not a time of day"):
        parse_time("ten")


def test_chart_is_valid_svg_with_escaped_labels_and_gaps():
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(5)]
    svg = line_chart(
        "<fever>", days, [Series("a&b", [1, 3, None, 7, 2]), Series("none", [None] * 5)]
    )
    root = ET.fromstring(svg)  # well-formed XML
    lines = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == 1
    assert len(lines[0].attrib["points"].split()) == 4  # the missing day is skipped
    assert "&lt;fever&gt;" in svg and "a&amp;b" in svg
    assert "03-01" in svg and "03-05" in svg
