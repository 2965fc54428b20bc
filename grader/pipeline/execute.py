"""nbgrader's Execute, bounded from outside: output cap, short limits after a hang, a
dead kernel's notebook kept.

- Output: past ``max_output_bytes`` for the notebook, further output is dropped (one
  note says so) and the submission is flagged.
- Time: the first cell that runs past ``Execute.timeout`` is interrupted; every later
  cell then gets ``hung_timeout`` seconds, so an endless loop called from every test
  cell does not cost an hour. ``notebook_timeout`` bounds the whole run.
- Death: when the kernel dies (a crash, a kill, the CPU limit), the cells that ran
  keep their outputs and the rest stay empty; the grader's verdicts then fail the
  test cells that did not run, and the submission is flagged.
Problems go to ``resources["backprop_problems"]`` for the Verdicts preprocessor.
"""
import json
import time

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from traitlets import Integer

from nbgrader.preprocessors import Execute

from ..checks.hidden import RECORD_MIME

RECORD_BYTES, MAX_RECORDS = 2 * 2 ** 20, 64  # a record is small; a notebook has ~11


STOPPED = "the kernel stopped"  # how a problem of a dead or broken kernel begins


class StoppedKernel(DeadKernelError):
    """The notebook ran past its time budget and its kernel was stopped."""


class GradingExecute(Execute):
    """Execute with the bounds above (see the module doc)."""

    max_output_bytes = Integer(4_000_000, help="output kept per notebook").tag(config=True)
    hung_timeout = Integer(5, help="seconds per cell once a cell has timed out"
                           ).tag(config=True)
    notebook_timeout = Integer(900, help="seconds for the whole notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._bytes, self._capped, self._timeouts, self._records = 0, False, 0, 0
        self._deadline = time.monotonic() + self.notebook_timeout
        problems = resources.setdefault("backprop_problems", [])
        self._started = False
        try:
            nb, resources = super().preprocess(nb, resources, km)
        except Exception as exc:  # the kernel died, hung, or sent what a kernel never sends
            if not self._started:  # it never started (e.g. no sandbox): not the student's doing
                raise
            ran = sum(1 for c in nb.cells if c.get("execution_count"))
            problems.append(f"{STOPPED} ({exc.__class__.__name__}: {str(exc)[:120]}) "
                            f"after {ran} cells; the cells after it were not run")
        if self._timeouts:
            problems.append(f"{self._timeouts} cell(s) timed out (stopped after "
                            f"{self.timeout} s, then {self.hung_timeout} s per cell)")
        if self._capped:
            problems.append(f"output over {self.max_output_bytes // 1000} kB: the rest was "
                            "dropped")
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        self._started = True  # the kernel is up: whatever happens now is the submission's
        return super().preprocess_cell(cell, resources, index)

    def _get_timeout(self, cell):
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise StoppedKernel(f"the notebook ran longer than {self.notebook_timeout} s")
        limit = self.hung_timeout if self._timeouts else (super()._get_timeout(cell) or left)
        return max(1, int(min(limit, left)))

    async def _async_handle_timeout(self, timeout, cell=None):
        self._timeouts += 1
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        if RECORD_MIME in msg.get("content", {}).get("data", {}) and size < RECORD_BYTES \
                and self._records < MAX_RECORDS:
            self._records += 1  # hidden-test records are not the student's output
            return super().output(outs, msg, display_id, cell_index)
        if self._capped:
            return None
        self._bytes += size
        if self._bytes > self.max_output_bytes:
            self._capped = True
            note = NotebookNode(output_type="stream", name="stdout",
                                text=f"[output stopped: more than {self.max_output_bytes // 1000}"
                                     " kB in this notebook]\n")
            outs.append(note)
            return note
        return super().output(outs, msg, display_id, cell_index)
