"""nbgrader, in process: one NbGraderAPI per Course, and its results checked."""
import contextlib
import functools
import os
import warnings
from pathlib import Path

import nbgrader.api
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory


class PipelineError(RuntimeError):
    """An nbgrader step failed or a guard found a problem; the message says which."""


@functools.cache
def alembic_head():
    """The revision nbgrader stamps a new gradebook with, read by alembic in this process.

    nbgrader's own get_alembic_version runs the `alembic heads` command for it: 3 s of
    a new process each time a gradebook is made; this reads the same script folder."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


nbgrader.api.get_alembic_version = alembic_head  # its one use of the `alembic` command


# pip packages of the database drivers SQLAlchemy looks for, by module name
DRIVERS = {"psycopg": "'psycopg[binary]'  (or: pip install -e '.[postgres]' in the project)",
           "psycopg2": "psycopg2-binary", "pymysql": "pymysql", "MySQLdb": "mysqlclient"}


def check_db(url):
    """Raise PipelineError, in one line, if SQLAlchemy cannot use this gradebook URL here."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    shown = url.split("?")[0]
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True).split("?")[0]
        parsed.get_dialect().import_dbapi()
    except ArgumentError as exc:
        raise PipelineError(f"--db {shown}: not a gradebook URL SQLAlchemy knows ({exc}); "
                            "expected e.g. sqlite:///path/gradebook.db or "
                            "postgresql://user:password@host/database") from None
    except ImportError as exc:
        module = (exc.name or "").split(".")[0]
        raise PipelineError(f"--db {shown}: the database driver '{module}' is not installed: "
                            f"pip install {DRIVERS.get(module, module)}") from None


def api(course):
    """An NbGraderAPI for this course (it does not read nbgrader_config.py itself)."""
    # nbgrader 0.9 triggers SQLAlchemy's "not in session" warnings on every autograde
    warnings.filterwarnings("ignore", message=".*not in session.*")
    config = course.nbgrader_config()
    course.work_dir.mkdir(parents=True, exist_ok=True)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def checked(result, what):
    """nbgrader's API returns {"success": bool, "log": ...}; raise if it failed."""
    if not result.get("success"):
        detail = (result.get("error") or "") + (result.get("log") or "")
        raise PipelineError(f"{what} failed:\n{detail.strip()[-3000:]}")
    return result


@contextlib.contextmanager
def environ(values):
    """Set environment variables for the kernels started inside the block."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def gradebook(course):
    """The course's nbgrader Gradebook, closed on exit."""
    from nbgrader.api import Gradebook
    course.work_dir.mkdir(parents=True, exist_ok=True)  # where the default SQLite file goes
    course_id = course.nbgrader_config().CourseDirectory.course_id
    with Gradebook(course.db_url, course_id=course_id) as gb:
        yield gb
