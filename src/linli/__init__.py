"""Linli (邻里): community emergency care."""

__version__ = "0.1.0"
