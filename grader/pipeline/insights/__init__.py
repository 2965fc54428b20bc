"""Class insights after autograde: pass rates, the named causes of the failures, and item
analysis, as a terminal table, CSV files and one HTML page (``<work>/insights/``)."""
from . import page, stats, text


def insights(course, ids=None, names=False, log=print):
    """Compute, print and write the insights; -> {"html", "causes", "items"} paths."""
    subs, skipped = stats.collect(course, ids)
    funcs, items = stats.functions(subs), stats.items(subs)
    folder = course.work_dir / "insights"
    folder.mkdir(parents=True, exist_ok=True)
    causes, cells = text.write_csv(funcs, items, folder, names)
    index = folder / "index.html"
    index.write_text(page.page(subs, funcs, items, skipped, names))
    log(text.table(funcs, items, skipped) if subs else "insights: no graded submissions yet")
    log(f"\ninsights:  {index}\n           {causes}\n           {cells}")
    return {"html": index, "causes": causes, "items": cells}
