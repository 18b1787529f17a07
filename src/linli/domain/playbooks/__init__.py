"""Playbooks (工具包): the content of a task force as plain data, its file format and diffs.

No Django here: ``content`` validates the structure, ``fileformat`` writes and reads the
single export file (schema version + checksum), ``diff`` says what changed between versions.
"""
