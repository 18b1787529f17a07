"""Run as a script by :func:`linli.domain.sheets.read.read_table`: parse the first sheet of
the xlsx on stdin with calamine under a memory and CPU-time limit, and write its rows to
stdout as pickled batches (a header ``("ok", total_rows)`` or ``("error", kind)`` first).
The file never touches the disk (it holds personal data).

A file that makes calamine ask for more memory than the limit (its Rust allocator then
aborts the process) ends this child, not the server. Only the standard library and
python_calamine are imported, so the child starts in a few tens of milliseconds."""

from __future__ import annotations

import io
import pickle
import resource
import sys

BATCH = 2000


def main(argv: list[str]) -> int:
    memory, seconds = int(argv[0]), int(argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    out = sys.stdout.buffer
    try:
        from python_calamine import CalamineWorkbook

        content = io.BytesIO(sys.stdin.buffer.read())
        sheet = CalamineWorkbook.from_filelike(content).get_sheet_by_index(0)
        pickle.dump(("ok", sheet.total_height), out, protocol=5)
        batch: list[list[object]] = []
        for row in sheet.iter_rows():
            batch.append(row)
            if len(batch) == BATCH:
                pickle.dump(batch, out, protocol=5)
                batch = []
        if batch:
            pickle.dump(batch, out, protocol=5)
    except MemoryError:
        return 3
    except BaseException as error:  # calamine's errors, and pyo3's PanicException
        pickle.dump(("error", type(error).__name__), out, protocol=5)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
