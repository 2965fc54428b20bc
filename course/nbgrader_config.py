# nbgrader configuration of the course: every door (plain `nbgrader`, the formgrader,
# `backprop-course`) reads this file, so all of them grade the same way:
#   - each grading kernel runs in a bubblewrap sandbox (grader/pipeline/sandbox.py);
#   - the kernel only records what the student's functions return on the hidden inputs;
#     the verdicts are computed here, in nbgrader's process (grader/pipeline/verdict.py),
#     against the oracle, which is built on demand outside the course and every sandbox.
# `backprop-course` adds what depends on its run: the work folder, the gradebook URL.
import os

try:
    from grader.pipeline import bundle
except ImportError:  # nbgrader started outside the course's environment
    raise SystemExit("backprop-course: this course needs its package: run nbgrader from the "
                     "virtual environment of README.md (`make install`, then .venv/bin/nbgrader)")

c = get_config()  # noqa: F821
HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.isdir(os.path.join(HERE, "source")):
    bundle.sync(os.path.join(HERE, "source"))  # the checks each release ships (bpcheck/)

c.CourseDirectory.course_id = "backprop-course"
# Collect keeps symbolic links a student left in the exchange as links (nbgrader's own
# copy follows them to the instructor's files); the sanitize step then refuses them.
c.ExchangeFactory.collect = "grader.pipeline.exchange.SafeCollect"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Hidden tests: everything between these lines is removed from the student release.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Autograde. Sanitising: note what the student changed, then restore the test cells
# (a deleted one is put back instead of silently scoring nothing).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "grader.pipeline.scan.Inspect",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Grading: run the notebook in the sandbox, then the grader's verdicts, then nbgrader
# scores them and the review flags go to the gradebook.
c.Autograde.autograde_preprocessors = [
    "grader.pipeline.execute.GradingExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "grader.pipeline.verdict.Verdicts",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "grader.pipeline.verdict.Flags",
]
# Late submissions: nbgrader compares each submission's timestamp.txt with the due date in
# the gradebook (`backprop-course due ID DATE`) and stores the plugin's penalty, which its
# scores and exports subtract: here 10 % of the earned score per started day late.
c.AssignLatePenalties.plugin_class = "grader.pipeline.late.PerDayPenalty"
c.PerDayPenalty.per_day = 0.10
c.Execute.kernel_manager_class = "grader.pipeline.sandbox.SandboxedKernelManager"
c.Execute.timeout = 60             # seconds for a cell
c.GradingExecute.hung_timeout = 5  # seconds for each later cell once one has timed out
c.Execute.interrupt_on_timeout = True
# Grading kernels draw no figures: a plot's output is its one-line text (<Figure ...>),
# and the six solved notebooks are graded with about 16 % less CPU. Drop the last
# argument to keep the figures in the autograded notebooks and the feedback.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:",
                             "--IPKernelApp.log_level=ERROR",
                             "--InlineBackend.figure_formats=set()"]
# The notebook is complete when its last cell has replied: the kernel is then killed, not
# asked to shut down and waited for (about 0.3 s a submission).
c.Execute.shutdown_kernel = "immediate"
c.SandboxedKernelManager.memory_mb = 3072
c.SandboxedKernelManager.cpu_seconds = 900

# Feedback: never the hidden tests' source, and the student's HTML/JS made harmless.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HTMLExporter.sanitize_html = True
