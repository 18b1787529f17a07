"""The template format as a JSON Schema: the one description the validator checks against
and ``docs/forms.md`` prints."""

from __future__ import annotations

TEXT = {"type": "string"}
LINE = {
    "description": "A line above or below the table: one text, or several spread across it.",
    "oneOf": [TEXT, {"type": "array", "items": TEXT, "minItems": 1}],
}

COLUMN = {
    "type": "object",
    "additionalProperties": False,
    "required": ["header"],
    "properties": {
        "header": {
            "description": "Column header; a list gives the levels from the top, and equal "
            "neighbouring levels are merged into one cell.",
            "oneOf": [TEXT, {"type": "array", "items": TEXT, "minItems": 1}],
        },
        "value": {
            "description": "A field of the dataset or an expression such as age(birth_date), "
            "mask_id(id_number), yes_no(has_guardian), days_since(quarantine_start), "
            "label(categories); the special value serial numbers the rows (序号).",
            **TEXT,
        },
        "map": {
            "description": "Replace values: {true: 是, false: 否}.",
            "type": "object",
        },
        "width": {"type": "number", "minimum": 1, "maximum": 255},
        "format": {"description": "Excel number format, e.g. 0, 0.0, 0.00%", **TEXT},
        "total": {
            "description": "What subtotal and total rows show in this column.",
            "enum": ["sum", "count", "none"],
        },
        "hxl": {"description": "HXL hashtag with attributes, e.g. #affected+elderly", **TEXT},
        "unit": {"description": "Unit shown after the header, e.g. 人", **TEXT},
    },
}

TEMPLATE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Linli department form template",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "title", "dataset", "columns"],
    "properties": {
        "name": {"description": "Name shown in the list of forms.", **TEXT},
        "department": {"description": "Who the form goes to (民政, 残联, 卫健, 街道 …).", **TEXT},
        "title": {
            "description": "Title row merged over the table; {place} and {date} are filled in.",
            **TEXT,
        },
        "sheet": {"description": "Sheet name (31 characters at most).", "maxLength": 31, **TEXT},
        "dataset": {
            "description": "Rows the form is drawn from.",
            "enum": ["people", "communities", "volunteers"],
        },
        "levels": {
            "description": "Place levels the form is meant for.",
            "type": "array",
            "items": {"enum": ["city", "district", "street", "community", "grid"]},
        },
        "full_id": {
            "description": "The audience may see full ID numbers (each generation is audited); "
            "otherwise ID numbers are masked.",
            "type": "boolean",
        },
        "period_days": {
            "description": "Days ending on the report date that hours and shifts count over.",
            "type": "integer",
            "minimum": 1,
            "maximum": 366,
        },
        "filter": {
            "description": "Keep a row only when every condition holds.",
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["field"],
                "properties": {
                    "field": TEXT,
                    "any_of": {"type": "array", "minItems": 1},
                    "equals": {},
                    "not_empty": {"type": "boolean"},
                },
            },
        },
        "sort": {"description": "Fields to sort the rows by.", "type": "array", "items": TEXT},
        "group_by": {
            "type": "object",
            "additionalProperties": False,
            "required": ["field"],
            "properties": {
                "field": TEXT,
                "subtotal": {
                    "description": "Label of each group's subtotal row; {group} is its name.",
                    **TEXT,
                },
            },
        },
        "totals": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"label": TEXT},
        },
        "above": {"type": "array", "items": LINE},
        "below": {"type": "array", "items": LINE},
        "columns": {"type": "array", "items": COLUMN, "minItems": 1},
    },
}
