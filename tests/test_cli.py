import subprocess
import sys


def linli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linli.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_help_lists_the_subcommands():
    result = linli("--help")
    assert result.returncode == 0
    for name in ("demo", "manage", "synth", "match", "roster"):
        assert name in result.stdout


def test_unknown_command_exits_2():
    result = linli("frobnicate")
    assert result.returncode == 2
    assert "unknown command" in result.stderr


def test_manage_passes_through_to_django():
    result = linli("manage", "help", "migrate")
    assert result.returncode == 0
    assert "migrate" in result.stdout


def test_python_m_bench_lists_every_benchmark():
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "bench"], cwd=root, capture_output=True, text=True, check=True
    )
    names = {p.parent.name for p in (root / "bench").glob("*/run.py")}
    assert len(names) >= 8
    for name in names:
        assert f"  {name} " in result.stdout
    unknown = subprocess.run(
        [sys.executable, "-m", "bench", "nope"], cwd=root, capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "unknown benchmark" in unknown.stderr
