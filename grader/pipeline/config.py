"""Where things are, and the nbgrader configuration built from them.

nbgrader's root is the WORK folder (release/, submitted/, autograded/, feedback/,
the gradebook), and its source folder is the course's ``course/source``. Everything
about how grading works comes from ``course/nbgrader_config.py`` (so plain nbgrader
grades the same way); this module adds what depends on the run: paths, the gradebook
URL, timeouts and limits, and the explicit choice to grade without a sandbox.
"""
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]


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
    hung_timeout: int | None = None  # seconds per cell after a time-out (None: the config's)
    memory_mb: int = 3072            # address-space limit of a grading kernel
    sandbox: bool = True             # False only by the CLI's --unsafe-no-sandbox
    exchange: str = ""               # nbgrader's exchange root (students submit there)
    course_id: str = ""              # the course's id in the exchange (default: the config's)

    def __post_init__(self):
        self.course_dir = Path(self.course_dir).resolve()
        self.work_dir = Path(self.work_dir).resolve()
        if not self.db_url:
            self.db_url = f"sqlite:///{self.work_dir / 'gradebook.db'}"
        if self.db_url.startswith("sqlite") and "timeout=" not in self.db_url:
            # wait for another writer (parallel autograde) instead of failing after 5 s
            self.db_url += ("&" if "?" in self.db_url else "?") + "timeout=120"

    def check(self):
        """Raise ValueError, in one line, unless course_dir is an nbgrader course directory."""
        missing = [n for n in ("nbgrader_config.py", "source")
                   if not (self.course_dir / n).exists()]
        if missing:
            raise ValueError(f"--course {self.course_dir}: not a course directory (no "
                             f"{' and no '.join(missing)}): expected the repository's course/, "
                             "which holds nbgrader_config.py and source/<id>/")

    @property
    def source_dir(self):
        return self.course_dir / "source"

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
        if self.hung_timeout is not None:
            cfg.GradingExecute.hung_timeout = self.hung_timeout
        cfg.SandboxedKernelManager.memory_mb = self.memory_mb
        cfg.SandboxedKernelManager.sandbox = self.sandbox
        if self.exchange:
            cfg.Exchange.root = str(Path(self.exchange).resolve())
        if self.course_id:
            cfg.CourseDirectory.course_id = self.course_id
        return cfg
