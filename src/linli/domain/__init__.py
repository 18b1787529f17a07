"""Pure domain rules and solvers. Nothing under this package imports Django."""
