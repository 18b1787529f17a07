"""Supplies rules: fair allocation of scarce stock and the run-out forecast (pure Python)."""
