"""Why a file is refused: a message by code, translated by the app (``gettext_noop`` marks
them for the catalogue), every size refusal naming its limit."""

from __future__ import annotations

from typing import Any


def gettext_noop(text: str) -> str:
    return text


MESSAGES: dict[str, str] = {
    "empty": gettext_noop("the file is empty"),
    "xls": gettext_noop("old .xls files are not read: save the sheet as .xlsx or .csv"),
    "unreadable": gettext_noop("not a readable xlsx file (%(reason)s)"),
    "encoding": gettext_noop("the csv file is neither UTF-8 nor GBK: save it as UTF-8"),
    "binary": gettext_noop("not a spreadsheet: save it as .xlsx or .csv"),
    "csv": gettext_noop("the csv file cannot be read at line %(line)s: %(reason)s"),
    "parts": gettext_noop(
        "the xlsx file has %(found)s parts, more than the limit of %(limit)s: "
        "it is not an ordinary spreadsheet"
    ),
    "unpacked": gettext_noop(
        "the xlsx file unpacks to more than %(limit)s MB (limit on the unpacked size): "
        "split the list into several files"
    ),
    "ratio": gettext_noop(
        "%(part)s in the xlsx file is packed more than %(limit)s times "
        "(limit on the compression ratio): save the sheet again from Excel or WPS"
    ),
    "size_lies": gettext_noop(
        "%(part)s in the xlsx file is damaged: its size in the zip directory is wrong"
    ),
    "dimension": gettext_noop(
        "the sheet declares the range up to %(cell)s, beyond the limit of %(rows)s rows and "
        "%(columns)s columns: delete the empty rows and columns after the list and save again"
    ),
    "far_cell": gettext_noop(
        "the sheet has a cell at %(cell)s, beyond the limit of %(rows)s rows and %(columns)s "
        "columns: delete what lies after the list and save again, or split the list"
    ),
    "area": gettext_noop(
        "the sheet spans %(rows)s rows × %(columns)s columns, more than the limit of "
        "%(limit)s cells: delete the empty rows and columns after the list, or split it"
    ),
    "rows": gettext_noop(
        "the file has more than %(limit)s rows (limit on the number of rows): split the list"
    ),
    "columns": gettext_noop(
        "row %(row)s has %(found)s columns, more than the limit of %(limit)s columns"
    ),
    "shared_strings": gettext_noop(
        "the xlsx file holds %(found)s different texts, more than the limit of %(limit)s"
    ),
    "parse_memory": gettext_noop(
        "reading the sheet needed more than %(limit)s MB of memory (limit on reading a "
        "sheet): delete the empty rows and columns after the list, or split it"
    ),
    "parse_time": gettext_noop(
        "reading the sheet took longer than %(limit)s seconds (limit on reading a sheet): "
        "split the list into several files"
    ),
    "parse_failed": gettext_noop("the sheet could not be read (%(reason)s)"),
}


class TableError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % params if params else MESSAGES[code])
