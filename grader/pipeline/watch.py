"""Grading on submit: each new submission in nbgrader's exchange is collected, graded, fed back.

A loop: every POLL seconds, list the exchange's inbound folder; for each student and
assignment whose newest complete submission is newer than the collected one, run
nbgrader's collect (the newest wins, so a newer submission supersedes a queued older
one) and queue it for grading on the Dask cluster (autograde.Grading). As each grade
comes back: the report row, the feedback HTML (feedback.py's guard included) and
nbgrader's release_feedback, so the student's ``nbgrader fetch_feedback`` finds it.
A submission being graded is not collected over: a newer one waits for it, then is
graded in turn. Polling, not inotify (watchdog): no extra dependency, and a listing
also sees what other machines write to a shared file system, which inotify does not.
"""
import time

from . import autograde, cluster, exchange, feedback, nbg

POLL = 0.5   # seconds between two listings of the inbound folder
TICK = 0.05  # seconds between two looks at the grading in flight


class Watcher:
    """The state of one watch: what was collected, sent for grading, and graded."""

    def __init__(self, course, grading, ids=None, log=print):
        self.course, self.grading, self.ids, self.log = course, grading, ids, log
        self.api = nbg.api(course)
        self.tried = set()   # inbound names collect was run for
        self.sent = {}       # (student, id) -> timestamp of the submission being graded
        self.graded = {}     # (student, id) -> timestamp of the submission last graded
        self.report = autograde.Report(course)
        self.count = 0

    def scan(self):
        """Collect and queue what is new in the exchange; -> how many were queued."""
        queued = 0
        for pair, entry in exchange.newest(exchange.inbound(self.course, self.ids)).items():
            if self.grading.holds(pair):
                continue  # graded again once the submission in flight is done
            collected = exchange.timestamp(self.course, "submitted", *pair)
            if entry.name not in self.tried and (collected is None or entry.timestamp > collected):
                self.tried.add(entry.name)
                try:
                    exchange.collect(self.api, *pair)
                except nbg.PipelineError as exc:  # the others go on; the instructor sees why
                    self.log(f"could not collect {entry.name}: {str(exc).splitlines()[-1]}")
                    continue
                collected = exchange.timestamp(self.course, "submitted", *pair)
                self.log(f"collected {pair[0]}/{pair[1]} (submitted {collected})")
            last = self.graded.get(pair) or exchange.timestamp(self.course, "autograded", *pair)
            if collected is not None and collected != last:
                self.sent[pair] = collected
                self.grading.add(*pair)
                queued += 1
        return queued

    def finish(self):
        """Report, feedback and release for every grade that came back; -> how many."""
        rows = self.grading.ready()
        for row in rows:
            pair = (row.student, row.assignment)
            self.graded[pair] = self.sent.pop(pair, None)
            pages = feedback.feedback(self.course, [row], log=lambda m: None)
            try:
                if pair in pages:
                    exchange.release_feedback(self.api, *pair)
            except nbg.PipelineError as exc:
                pages = {}
                row.problems.append(f"feedback not released: {str(exc).splitlines()[-1]}")
            self.report.add(row)
            score = "-" if row.score is None else f"{row.score:g}/{row.max_score:g}"
            self.log(f"graded {row.student}/{row.assignment}: {score} {row.status} in "
                     f"{row.seconds:.1f} s; feedback "
                     + ("released" if pair in pages else "not released")
                     + "".join(f"\n  - {p}" for p in row.problems))
            self.count += 1
        return len(rows)


def watch(course, ids=None, jobs=None, scheduler=None, once=False, stop=None, log=print):
    """Grade submissions as they arrive until stopped (or, with once, until none is left).

    stop: a threading.Event that ends the loop (Ctrl-C ends it too); -> grades made.
    """
    inbox = exchange.course_path(course) / "inbound"
    if not inbox.is_dir():
        raise nbg.PipelineError(f"no inbound folder {inbox}: release an assignment into the "
                                "exchange first (backprop-course --exchange DIR release)")
    with cluster.connect(course, ids, jobs, scheduler) as client:
        watcher = Watcher(course, autograde.Grading(client, course), ids, log)
        log(f"watching {inbox} (Ctrl-C to stop)" if not once else f"grading what is in {inbox}")
        next_scan = 0.0
        try:
            while not (stop and stop.is_set()):
                if time.monotonic() >= next_scan:
                    queued = watcher.scan()
                    next_scan = time.monotonic() + POLL
                    if once and not queued and not len(watcher.grading):
                        break
                watcher.finish()
                watcher.report.save_if_due()
                time.sleep(TICK)
        finally:
            watcher.report.flush()
    return watcher.count
