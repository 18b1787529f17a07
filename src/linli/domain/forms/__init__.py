"""Declarative department forms (一表通): a YAML template says what a department's form
looks like; this package parses and checks it, builds the table from plain row dicts and
renders it as xlsx, csv or HXL-tagged csv. No Django, no ORM: the reports app supplies
the rows (see :mod:`linli.reports.datasets`)."""

from .model import FormTemplate, TemplateError
from .parse import parse_template
from .table import Table, build_table

__all__ = ["FormTemplate", "Table", "TemplateError", "build_table", "parse_template"]
