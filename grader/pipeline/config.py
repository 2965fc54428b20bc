"""Where things are, and the nbgrader configuration built from them.

nbgrader's root is the WORK folder (release/, submitted/, autograded/, feedback/,
the gradebook), and its source folder is the course's ``course/source``. The
course-wide settings come from ``course/nbgrader_config.py``; this module adds
what depends on the run: paths, the gradebook URL, timeouts and the kernel guard.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .oracle import ORACLE_ENV

REPO = Path(__file__).resolve().parents[2]
GUARD = Path(__file__).resolve().parent / "guard.py"  # run in each kernel, never imported here


def default_course_dir():
    """./course if it is a course directory, else the course next to this package."""
    here = Path.cwd() / "course"
    return here if (here / "nbgrader_config.py").exists() else REPO / "course"


@dataclass
class Course:
    """One instructor run: the course sources, a work folder and a gradebook."""
    course_dir: Path = field(default_factory=default_course_dir)
    work_dir: Path = field(default_factory=lambda: Path.cwd() / "work")
    db_url: str = ""                 # any SQLAlchemy URL nbgrader accepts
    cell_timeout: int = 60           # seconds per cell (nbgrader's Execute.timeout)
    call_timeout: int = 30           # seconds per call of a student function by a check
    memory_mb: int = 3072            # address-space limit of a grading kernel

    def __post_init__(self):
        self.course_dir = Path(self.course_dir).resolve()
        self.work_dir = Path(self.work_dir).resolve()
        if not self.db_url:
            self.db_url = f"sqlite:///{self.work_dir / 'gradebook.db'}"
        if self.db_url.startswith("sqlite") and "timeout=" not in self.db_url:
            # wait for another writer (parallel autograde) instead of failing after 5 s
            self.db_url += ("&" if "?" in self.db_url else "?") + "timeout=120"

    @property
    def source_dir(self):
        return self.course_dir / "source"

    @property
    def oracle_dir(self):
        return self.work_dir / "oracle"

    def path(self, step, student=".", assignment=""):
        """<work>/<step>/<student>/<assignment>, nbgrader's layout."""
        return self.work_dir / step / student / assignment

    def nbgrader_config(self):
        """The traitlets Config for NbGraderAPI: the course's file plus this run."""
        cfg = Config()
        cfg.merge(PyFileConfigLoader("nbgrader_config.py", path=str(self.course_dir)).load_config())
        cfg.CourseDirectory.root = str(self.work_dir)
        cfg.CourseDirectory.source_directory = str(self.source_dir)
        cfg.CourseDirectory.db_url = self.db_url
        cfg.Execute.timeout = self.cell_timeout
        cfg.Execute.extra_arguments = [
            "--HistoryManager.hist_file=:memory:",
            "--IPKernelApp.log_level=ERROR",
            f"--IPKernelApp.exec_files={[str(GUARD)]!r}",
        ]
        return cfg

    def kernel_env(self, report_path):
        """Environment variables the grading kernels inherit (guard and oracle)."""
        import grader
        import solutions
        return {
            ORACLE_ENV: str(self.oracle_dir),
            "BACKPROP_GUARD_REPORT": str(report_path),
            "BACKPROP_GUARD_PROTECT": os.pathsep.join(
                [str(Path(solutions.__file__).parent), str(Path(grader.__file__).parent)]),
            "BACKPROP_GUARD_READONLY": str(self.oracle_dir),
            "BACKPROP_KERNEL_MEMORY_MB": str(self.memory_mb),
            "BACKPROP_CALL_TIMEOUT": str(self.call_timeout),
            # the guard stops a cell just before nbgrader would, and hung notebooks sooner
            "BACKPROP_CELL_LIMIT": str(max(self.cell_timeout - 2, 1)),
            "BACKPROP_CELL_LIMIT_AFTER_TIMEOUT": "5",
        }
