"""Grading on submit: each new submission in nbgrader's exchange is collected, graded, fed back.

A loop in the client: every POLL seconds, list the exchange's inbound folder; each
student and assignment with a submission it has not handled yet goes to the Dask
cluster (autograde.Grading), where a worker does all of that submission's work
(on_submit): nbgrader's collect (the newest submission wins, so a newer one supersedes
a queued older one), the autograde, the feedback HTML (feedback.py's guard included)
and nbgrader's release_feedback, so the student's ``nbgrader fetch_feedback`` finds it;
the client saves the row it returns. The work per submission is on the workers
because the feedback page alone takes about as long as a small autograde: one client
doing it for everyone would be the bottleneck. A submission being graded is not
collected over: a newer one waits for it, then goes in turn. Polling, not inotify
(watchdog): no extra dependency, and a listing also sees what other machines write to
a shared file system, which inotify does not.
"""
import time

from . import autograde, cluster, exchange, feedback, nbg

POLL = 0.5   # seconds between two listings of the inbound folder
TICK = 0.05  # seconds between two looks at the grading in flight


def on_submit(course, student, assignment_id):
    """On a worker: collect, autograde, feedback and release_feedback -> Row. Never raises."""
    api = autograde.worker_api(course)
    try:
        exchange.collect(api, student, assignment_id)
    except nbg.PipelineError as exc:
        return autograde.Row(student, assignment_id, status=autograde.FAILED, problems=[
            f"nbgrader could not collect it: {str(exc).splitlines()[-1]}"])
    row = autograde.grade_one(course, student, assignment_id, api)
    try:
        if (student, assignment_id) in feedback.feedback(course, [row], log=lambda m: None):
            exchange.release_feedback(api, student, assignment_id)
    except Exception as exc:  # the grade stands; the instructor sees why there is no page
        row.problems.append(f"feedback not released: {str(exc).splitlines()[-1]}")
    return row


def released(row):
    """Whether on_submit released this row's feedback."""
    return row.status in (autograde.OK, autograde.DIED) and \
        not any(p.startswith("feedback ") for p in row.problems)


class Watcher:
    """What the client knows: the inbound names it has seen and handled."""

    def __init__(self, course, grading, ids=None, log=print):
        self.course, self.grading, self.ids, self.log = course, grading, ids, log
        self.seen = {}        # inbound name -> Inbound (parsed once)
        self.handled = set()  # inbound names sent for grading, or graded by an earlier run
        self.report = autograde.Report(course)
        self.count = 0

    def scan(self):
        """Queue each student and assignment with a new submission; -> how many."""
        queued = 0
        for pair, entry in exchange.newest(exchange.inbound(self.course, self.ids,
                                                            self.seen)).items():
            if entry.name in self.handled or self.grading.holds(pair):
                continue  # a held one goes once the submission in flight is done
            self.handled.add(entry.name)
            if not self._graded_before(pair, entry):
                self.grading.add(*pair)
                queued += 1
        return queued

    def _graded_before(self, pair, entry):
        """Collected and graded already (by an earlier watch): a restart redoes nothing."""
        submitted = exchange.timestamp(self.course, "submitted", *pair)
        return submitted is not None and entry.timestamp <= submitted and \
            submitted == exchange.timestamp(self.course, "autograded", *pair)

    def finish(self):
        """Save and log every row that came back; -> how many."""
        rows = self.grading.ready()
        for row in rows:
            self.report.add(row)
            score = "-" if row.score is None else f"{row.score:g}/{row.max_score:g}"
            self.log(f"{row.student}/{row.assignment}: {score} {row.status} in "
                     f"{row.seconds:.1f} s; feedback "
                     + ("released" if released(row) else "not released")
                     + "".join(f"\n  - {p}" for p in row.problems))
        self.count += len(rows)
        return len(rows)


def watch(course, ids=None, jobs=None, scheduler=None, once=False, stop=None, log=print):
    """Grade submissions as they arrive until stopped (or, with once, until none is left).

    stop: a threading.Event that ends the loop (Ctrl-C ends it too); -> rows made.
    """
    inbox = exchange.course_path(course) / "inbound"
    if not inbox.is_dir():
        raise nbg.PipelineError(f"no inbound folder {inbox}: release an assignment into the "
                                "exchange first (backprop-course --exchange DIR release)")
    with cluster.connect(course, ids, jobs, scheduler) as client:
        watcher = Watcher(course, autograde.Grading(client, course, on_submit), ids, log)
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
