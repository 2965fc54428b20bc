"""backprop-course: the instructor's command around nbgrader.

  backprop-course release [ID ...]      student versions, checked for leaks
  backprop-course autograde [ID ...]    grade <work>/submitted/*, print the table
  backprop-course watch [--once]        grade each submission to the exchange as it comes
  backprop-course feedback [ID ...]     feedback HTML for graded submissions
  backprop-course export [--to CSV]     grades for the LMS (--format canvas: Canvas's import)
  backprop-course due [ID DATE]         set or list due dates (late penalties)
  backprop-course insights [ID ...]     the class's mistakes by cause, item analysis
  backprop-course demo                  all of it on example submissions
  backprop-course sync | oracle         copy the checks in / build the hidden answers
  backprop-course lab                   JupyterLab on the sources, hidden tests working

Grading kernels always run in a bubblewrap sandbox; --unsafe-no-sandbox turns it off
(only for a machine without bubblewrap, on submissions you trust). Grading runs on a
local Dask cluster of --jobs workers, or on an existing one: --scheduler tcp://HOST:PORT
(its workers need this project, bubblewrap, and the course and work folders at the same
paths, e.g. a shared file system).
"""
import argparse
import os
import sys
from pathlib import Path

from . import assignments, autograde, bundle, export, feedback, nbg, oracle, release, sandbox
from . import exchange, watch
from .config import Course, default_course_dir
from .insights import insights
from .table import score_table


def parser():
    p = argparse.ArgumentParser(prog="backprop-course", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--course", type=Path, default=None,
                   help="the course directory (default: ./course, else the packaged one)")
    p.add_argument("--work", type=Path, default=None,
                   help="nbgrader's root: release/, submitted/, autograded/, feedback/, "
                        "gradebook (default: ./work, ./work/demo for the demo)")
    p.add_argument("--db", default="", help="gradebook SQLAlchemy URL "
                                             "(default: sqlite:///<work>/gradebook.db)")
    p.add_argument("--jobs", type=int, default=None, help="parallel autograde workers "
                                                          "(default: number of cores)")
    p.add_argument("--timeout", type=int, default=60, help="seconds per notebook cell")
    p.add_argument("--memory", type=int, default=3072, help="MiB of address space per kernel")
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="grade WITHOUT the sandbox: student code can read and write every file")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="grade on this Dask scheduler's workers (default: a local cluster)")
    p.add_argument("--exchange", default="", metavar="DIR",
                   help="nbgrader's exchange root: release also publishes there, watch reads it")
    p.add_argument("--course-id", default="", metavar="ID",
                   help="the course's id in the exchange (default: course/nbgrader_config.py's)")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("release", "autograde", "feedback"):
        s = sub.add_parser(name)
        s.add_argument("ids", nargs="*", metavar="ID", help="assignments (default: all)")
        if name != "release":
            s.add_argument("--student", action="append", help="only these students")
    exp = sub.add_parser("export")
    exp.add_argument("--to", type=Path, default=None)
    exp.add_argument("--format", choices=export.FORMATS, default="nbgrader",
                     help="nbgrader's columns with status and problems (default), or a Canvas "
                          "gradebook import")
    due = sub.add_parser("due", help="set a due date ('none' clears it) and list them all")
    due.add_argument("id", nargs="?", metavar="ID")
    due.add_argument("when", nargs="?", metavar="DATE",
                     help="e.g. '2026-03-01 23:59 Europe/Berlin'")
    s = sub.add_parser("insights", help="pass rates, causes and item analysis, after autograde")
    s.add_argument("ids", nargs="*", metavar="ID", help="assignments (default: all)")
    s.add_argument("--names", action="store_true",
                   help="list the students of each cause (the page is anonymous without it)")
    w = sub.add_parser("watch", help="collect, grade and feed back each submission as it comes")
    w.add_argument("ids", nargs="*", metavar="ID", help="assignments (default: all)")
    w.add_argument("--once", action="store_true", help="grade what is there, then exit")
    sub.add_parser("demo")
    sub.add_parser("sync")
    sub.add_parser("oracle").add_argument("--dir", type=Path, default=None)
    sub.add_parser("lab", help="JupyterLab on course/source with the checks and the oracle")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    work = args.work or Path.cwd() / "work" / ("demo" if args.command == "demo" else "")
    course = Course(args.course or default_course_dir(), work, args.db, args.timeout,
                    memory_mb=args.memory, sandbox=not args.unsafe_no_sandbox,
                    exchange=args.exchange, course_id=args.course_id)
    if args.unsafe_no_sandbox:
        print("backprop-course: WARNING: grading WITHOUT a sandbox (--unsafe-no-sandbox)",
              file=sys.stderr)
    ids = getattr(args, "ids", None) or None
    try:
        course.check()
        nbg.check_db(course.db_url)
        for i in ids or []:
            assignments.get(i)
        return run(args, course, ids)
    except (nbg.PipelineError, sandbox.SandboxError, ValueError) as exc:
        print(f"backprop-course {args.command}: {exc}", file=sys.stderr)
        return 1


def run(args, course, ids):
    if args.command == "sync":
        for path in bundle.sync(course.source_dir):
            print(f"checks -> {path}")
    elif args.command == "oracle":
        print(f"oracle -> {oracle.write(args.dir)}")
    elif args.command == "release":
        release.release(course, ids)
        if course.exchange:
            print(f"released into the exchange -> {exchange.publish(course, ids)}")
    elif args.command == "autograde":
        rows = autograde.autograde(course, ids, args.student, jobs=args.jobs,
                                   scheduler=args.scheduler)
        print(score_table(rows))
        return 0 if all(r.status == autograde.OK for r in rows) else 2
    elif args.command == "feedback":
        rows = [r for r in autograde.load(course).values()
                if (not ids or r.assignment in ids)
                and (not args.student or r.student in args.student)]
        feedback.feedback(course, rows)
    elif args.command == "export":
        export.export(course, args.to, fmt=args.format)
    elif args.command == "due":
        from .late import due
        due(course, args.id, args.when)
    elif args.command == "insights":
        insights(course, ids, names=args.names)
    elif args.command == "watch":
        try:
            watch.watch(course, ids, args.jobs, args.scheduler, once=args.once)
        except KeyboardInterrupt:
            print("watch: stopped", file=sys.stderr)
    elif args.command == "demo":
        from .demo import demo
        demo(course, jobs=args.jobs)
    elif args.command == "lab":
        bundle.sync(course.source_dir)
        command = [sys.executable, "-m", "jupyterlab", str(course.source_dir)]
        os.execv(sys.executable, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
