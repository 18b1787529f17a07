"""``linli roster`` end to end on real files: solve, write the grid, evaluate it back."""

from linli.cli import main as linli
from linli.domain.rostering.evaluate import evaluate
from linli.domain.rostering.io import read_instance, read_roster

from .conftest import DATA


def test_benchmark_writes_a_roster_the_evaluator_scores_607(tmp_path, capsys):
    output = tmp_path / "roster.txt"
    code = linli(
        [
            "roster",
            "--benchmark",
            str(DATA / "Instance1.txt"),
            "--time-limit",
            "10",
            "--output",
            str(output),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "objective: 607" in printed
    assert "bound: 607" in printed
    assert "time:" in printed
    instance = read_instance(DATA / "Instance1.txt")
    assert evaluate(instance, read_roster(output, instance)).objective == 607

    assert (
        linli(["roster", "--evaluate", str(DATA / "Instance1.txt"), "--roster", str(output)]) == 0
    )
    printed = capsys.readouterr().out
    assert "objective: 607" in printed
    assert "under_cover: 600" in printed


def test_evaluate_lists_violations_and_exits_1(tmp_path, capsys):
    roster = tmp_path / "roster.txt"
    roster.write_text("\t".join(["D"] * 14) + "\n" + ("\t" * 13 + "\n") * 7)
    code = linli(["roster", "--evaluate", str(DATA / "Instance1.txt"), "--roster", str(roster)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "A day 0: fixed day off" in printed
    assert "B: min total minutes: 0 minutes, at least 3360" in printed


def test_bad_files_exit_2_with_the_place_named(tmp_path, capsys):
    roster = tmp_path / "short.txt"
    roster.write_text("\t" * 12 + "\n" + ("\t" * 13 + "\n") * 7)
    code = linli(["roster", "--evaluate", str(DATA / "Instance1.txt"), "--roster", str(roster)])
    assert code == 2
    assert "short.txt, line 1 (employee A): expected 14 days, found 13" in capsys.readouterr().err
