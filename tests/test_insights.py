"""Class insights on hand-made classes: item statistics computed by hand, causes grouped
and shared exactly, the terminal table, the CSV files, and a page that escapes and hides
names. (The insights of really graded classes: tests/pipeline/test_mutation.py and
test_cli.py; the page in a real browser: tests/browser/test_insights_page.py.)"""
import csv
import math

import numpy as np
import pytest

from grader.pipeline.insights import page, stats, text
from grader.pipeline.insights.stats import NO_CAUSE, Submission

CELLS = ["test_step", "test_sigmoid", "test_tanh", "test_relu", "test_neuron"]
POINTS = [1, 2, 1, 1, 2]
# 4 students x 5 cells. Computed by hand (corrected item-total correlation):
#   step:    x = [1,1,0,0], rest = [4,2,3,1] -> r = 1/sqrt(5); difficulty 2/4
#   sigmoid: x = [2,0,2,0], rest = [3,3,1,1] -> r = 0;        difficulty 4/8
#   tanh:    like step;                        relu: everyone (r undefined), neuron: no one
SCORES = [[1, 2, 1, 1, 0],
          [1, 0, 1, 1, 0],
          [0, 2, 0, 1, 0],
          [0, 0, 0, 1, 0]]
BY_HAND = [(0.5, 1 / math.sqrt(5)), (0.5, 0.0), (0.5, 1 / math.sqrt(5)), (1.0, None),
           (0.0, None)]


def test_item_statistics_equal_the_hand_computation():
    got = stats.item_stats(SCORES, POINTS)
    for (d, r), (hd, hr) in zip(got, BY_HAND):
        assert d == pytest.approx(hd, abs=1e-15)
        assert (r is None) == (hr is None) and (r is None or r == pytest.approx(hr, abs=1e-12))


def test_discrimination_agrees_with_numpy_corrcoef():
    rng = np.random.default_rng(0)
    m = rng.integers(0, 3, size=(30, 6)).astype(float)
    for j, (_, r) in enumerate(stats.item_stats(m.tolist(), [2] * 6)):
        rest = m.sum(axis=1) - m[:, j]
        assert r == pytest.approx(np.corrcoef(m[:, j], rest)[0, 1], abs=1e-12)


def test_flags_name_easy_hard_and_unrelated_cells():
    assert stats.flags(1.0, None) == ["nearly everyone passes"]
    assert stats.flags(0.0, None) == ["nearly no one passes"]
    assert stats.flags(0.5, 0.45) == []
    assert stats.flags(0.5, 0.0)[0].startswith("does not go with the rest")
    assert stats.flags(0.5, -0.3)[0].startswith("does not go with the rest")


def tiny_class():
    """The 4 students above in 01-neuron, with the verdicts the grader would keep."""
    subs = []
    causes = {  # (student, cell) -> cause of its failure (None: no cause recognised)
        ("s2", "test_sigmoid"): "overflow", ("s4", "test_sigmoid"): "overflow",
        ("s3", "test_step"): "step(0) = 1", ("s4", "test_step"): None,
        ("s3", "test_tanh"): "square is missing", ("s4", "test_tanh"): "square is missing",
    }
    for i, row in enumerate(SCORES, start=1):
        s = Submission(f"s{i}", "01-neuron")
        for cell, p, score in zip(CELLS, POINTS, row):
            s.scores[cell], s.points[cell] = score, p
            ok = score == p
            cause = None if ok else causes.get((s.student, cell), "not implemented")
            s.verdicts[cell] = {"function": cell[5:], "passed": ok, "cause": cause,
                                "message": f"✘ {cell[5:]}: <script>alert(1)</script>"
                                if not ok else "✔"}
        subs.append(s)
    return subs


def test_failures_are_grouped_by_cause_with_exact_shares():
    funcs = {f.function: f for f in stats.functions(tiny_class())}
    assert list(funcs) == ["step", "neuron", "sigmoid", "tanh", "relu"]  # the contract's order
    step = funcs["step"]
    assert (step.submissions, step.passed) == (4, 2)
    assert [(c.text, c.students, step.share(c)) for c in step.causes] == [
        ("step(0) = 1", ["s3"], 0.5), (NO_CAUSE, ["s4"], 0.5)]  # no cause comes last
    sig = funcs["sigmoid"]
    assert [(c.text, c.students, sig.share(c)) for c in sig.causes] == [
        ("overflow", ["s2", "s4"], 1.0)]
    assert funcs["relu"].causes == [] and funcs["relu"].passed == 4
    assert [len(c.students) for c in funcs["neuron"].causes] == [4]


def test_a_score_lowered_by_hand_is_named_so():
    subs = tiny_class()
    subs[0].scores["test_relu"] = 0
    relu = next(f for f in stats.functions(subs) if f.function == "relu")
    assert [(c.text, c.students) for c in relu.causes] == [(stats.BY_HAND, ["s1"])]


def test_items_carry_the_statistics_and_flags():
    items = stats.items(tiny_class())
    by_cell = {i.cell: i for i in items}
    assert by_cell["test_step"].discrimination == pytest.approx(1 / math.sqrt(5))
    assert by_cell["test_relu"].flags == ["nearly everyone passes"]
    assert by_cell["test_neuron"].flags == ["nearly no one passes"]
    assert by_cell["test_sigmoid"].flags[0].startswith("does not go with the rest")
    assert by_cell["test_sigmoid"].points == 2


def test_the_terminal_table_shows_rates_and_shares():
    subs = tiny_class()
    out = text.table(stats.functions(subs), stats.items(subs), {"kernel died": 1})
    assert out.startswith("not counted: 1 kernel died")
    assert "  step" in out and "2/4  50%" in out and " 50%  step(0) = 1" in out
    assert "100%  overflow" in out
    line = next(l for l in out.splitlines() if l.strip().startswith("test_step "))
    assert line.split()[1:4] == ["1", "0.50", "0.45"]


def test_csv_files_hold_every_cause_and_item(tmp_path):
    subs = tiny_class()
    causes, cells = text.write_csv(stats.functions(subs), stats.items(subs), tmp_path)
    rows = list(csv.DictReader(open(causes)))
    step = [r for r in rows if r["function"] == "step"]
    assert [(r["cause"], r["failures"], r["share"]) for r in step] == [
        ("step(0) = 1", "1", "0.5000"), (NO_CAUSE, "1", "0.5000")]
    assert "students" not in rows[0]
    assert not {f"s{i}" for i in range(1, 5)} & {w for r in rows for v in r.values()
                                                  for w in v.split()}
    relu = next(r for r in rows if r["function"] == "relu")
    assert (relu["pass_rate"], relu["cause"]) == ("1.0000", "")
    items = {r["cell"]: r for r in csv.DictReader(open(cells))}
    assert items["test_relu"]["discrimination"] == ""
    assert items["test_tanh"]["difficulty"] == "0.5000"
    text.write_csv(stats.functions(subs), stats.items(subs), tmp_path, names=True)
    rows = list(csv.DictReader(open(causes)))
    assert next(r for r in rows if r["cause"] == "overflow")["students"] == "s2 s4"


def test_the_page_escapes_what_came_from_submissions_and_hides_names():
    subs = tiny_class()
    html = page.page(subs, stats.functions(subs), stats.items(subs), {})
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "students:" not in html
    assert html.count("<img") == 1 + 1 + 1  # histogram, cause bars of 01, item scatter
    named = page.page(subs, stats.functions(subs), stats.items(subs), {}, names=True)
    assert "students: s2, s4" in named
