"""sphinx-gallery hooks of the sktune documentation (named by string in conf.py).

They live in a module, not in conf.py, so that Sphinx can pickle its
configuration (a function defined in conf.py cannot be, and Sphinx warns).
"""

import shutil
from pathlib import Path

#: Where examples that save their pictures put them (their default folder).
GALLERY_OUT = Path(__file__).resolve().parent / "_build" / "gallery"


def reset_argv(gallery_conf, script_vars):
    """Give each example a ``__file__``, and run it without arguments.

    sphinx-gallery runs an example's code in a fresh ``__main__`` without
    ``__file__``; some examples find their output folder from it, so set it
    to the example's path. ``reset_argv`` is the hook sphinx-gallery calls
    with the example's globals just before running it.
    """
    example_globals = script_vars.get("example_globals")
    if example_globals is not None:
        example_globals["__file__"] = script_vars["src_file"]
    return []


def clear_saved_figures():
    """Start a build with an empty output folder.

    Otherwise a picture written by an earlier build would be taken for one
    written by the example that runs now.
    """
    shutil.rmtree(GALLERY_OUT, ignore_errors=True)
    GALLERY_OUT.mkdir(parents=True, exist_ok=True)


class SavedFigures:
    """Scraper for the pictures an example writes with ``savefig`` and closes.

    Examples that save their plots (to :data:`GALLERY_OUT`) and close the
    figures leave nothing for sphinx-gallery's matplotlib scraper; show the
    saved files instead. Each call first runs the matplotlib scraper; when it
    found no open figure, the PNG files written since the previous call are
    shown. When it did, they are the same pictures, and the files are only
    marked as seen.
    """

    def __init__(self):
        self.seen = {}

    def __repr__(self):
        # sphinx-gallery hashes the configuration's repr for its cache
        return "SavedFigures()"

    def __call__(self, block, block_vars, gallery_conf):
        from sphinx_gallery.scrapers import figure_rst, matplotlib_scraper

        shown = matplotlib_scraper(block, block_vars, gallery_conf)
        new = []
        # in the order they were written, as the example drew them
        for path in sorted(GALLERY_OUT.glob("*.png"), key=lambda p: p.stat().st_mtime_ns):
            stamp = path.stat().st_mtime_ns
            if self.seen.get(path) != stamp:
                self.seen[path] = stamp
                new.append(path)
        if shown or not new:
            return shown
        images = []
        for path, target in zip(new, block_vars["image_path_iterator"]):
            shutil.copyfile(path, target)
            images.append(target)
        return figure_rst(images, gallery_conf["src_dir"])


saved_figures = SavedFigures()
