"""Where the test-suite's time goes: CPU-seconds per test module, largest first.

The suite runs serially here (one pytest process), so each test's CPU is its own. CPU is
read from the machine's counters (/proc/stat) around each test: they count the grading
kernels, which getrusage misses (in bubblewrap's PID namespace they are never waited for
by the grader). On a busy machine the figures include the other load; run it alone.
`make test` on two workers takes about the total CPU over 2 when the cores are busy.

    .venv/bin/python benchmarks/bench_suite.py [pytest arguments, e.g. -m "not browser"]
"""
import collections
import sys
import time

import pytest


def busy_seconds():
    """CPU-seconds the machine has spent working, all cores (user, nice, system, irq)."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, f.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / 100  # USER_HZ ticks


class Meter:
    """A pytest plugin: (nodeid, wall seconds, CPU-seconds) of every test."""

    def __init__(self):
        self.rows = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        cpu, wall = busy_seconds(), time.perf_counter()
        yield
        self.rows.append((item.nodeid, time.perf_counter() - wall, busy_seconds() - cpu))


def table(rows, most=25):
    """Per module: CPU-seconds, wall seconds, tests, share of the CPU; then the total."""
    cpu, wall, count = collections.Counter(), collections.Counter(), collections.Counter()
    for nodeid, w, c in rows:
        module = nodeid.split("::")[0]
        cpu[module] += c
        wall[module] += w
        count[module] += 1
    total, top = sum(cpu.values()), cpu.most_common(most)
    w = max(len(m) for m, _ in top) + 2
    lines = [f"{'module':<{w}}{'CPU s':>8}{'wall s':>8}{'tests':>7}{'share':>7}"]
    for module, c in top:
        lines.append(f"{module:<{w}}{c:8.1f}{wall[module]:8.1f}{count[module]:7d}"
                     f"{c / total:7.0%}")
    lines.append(f"{'all ' + str(len(rows)) + ' tests':<{w}}{total:8.1f}"
                 f"{sum(wall.values()):8.1f}")
    return "\n".join(lines)


def main(args):
    meter = Meter()
    start, cpu = time.perf_counter(), busy_seconds()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *args], plugins=[meter])
    wall, cpu = time.perf_counter() - start, busy_seconds() - cpu
    print()
    print(table(meter.rows))
    print(f"the whole run: {cpu:.0f} CPU-seconds in {wall:.0f} s (collection and session "
          f"start: {cpu - sum(c for *_, c in meter.rows):.0f}); on two busy cores about "
          f"{cpu / 2:.0f} s")
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
