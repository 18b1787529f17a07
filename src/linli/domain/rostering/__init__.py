"""Shift rostering: the benchmark model, its file format, an exact evaluator and the CP-SAT solver.

Pure Python (no Django): the community rostering app builds an :class:`Instance` from the
database and calls :func:`solve`; the benchmark and ``linli roster`` read the public files.
"""
