"""Sphinx configuration of the sktune documentation.

Built offline with ``make docs`` (``sphinx-build -W --keep-going``): no
intersphinx, no remote images, every gallery example run with matplotlib's
Agg backend, every ``.. plot::`` figure drawn at build time.
"""

import os
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # the package, when not installed
sys.path.insert(0, str(DOCS))  # docs/_plots.py, used by ``.. plot::`` figures

import sktune  # noqa: E402

project = "sktune"
author = "the sktune developers"
copyright = "the sktune developers"
version = release = sktune.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.md5",
                    "sg_execution_times.rst",
                    # pages written in Markdown beside the code's authors,
                    # included whole by user_guide/cli.md and user_guide/dask.md
                    "cli.md", "dask.md",
                    # written by conf.py, included by benchmarks.md
                    "generated/benchmarks_readme.md"]
templates_path = ["_templates"]
default_role = "literal"
pygments_style = "sphinx"
myst_heading_anchors = 3
# No network: no intersphinx inventories, and MathJax is only referenced by
# the pages (the browser loads it), never downloaded at build time.

# -- autodoc / autosummary / numpydoc ----------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": False}
# numpydoc writes the Parameters section from the docstrings; the hints go
# into the signatures only, so that no parameter is listed twice
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- plot directive -------------------------------------------------------------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt\n"
plot_rcparams = {"figure.autolayout": False}
plot_apply_rcparams = True

# -- sphinx-gallery -------------------------------------------------------------
import _gallery_hooks  # noqa: E402

_gallery_hooks.clear_saved_figures()

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"plot_",
    "ignore_pattern": r"__init__\.py",
    "image_scrapers": ("_gallery_hooks.saved_figures",),
    "reset_argv": "_gallery_hooks.reset_argv",
    "backreferences_dir": None,
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "within_subsection_order": "FileNameSortKey",
    "min_reported_time": 1,
    "show_memory": False,
    "show_signature": False,
    "matplotlib_animations": False,
    "write_computation_times": False,
}

# Examples, pages and tests run estimators that warn about convergence and
# such; those warnings belong to the runs, not to the documentation build.
warnings.filterwarnings("ignore", category=UserWarning, message="Matplotlib is currently using agg")

# -- HTML -------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sktune {version}"
html_static_path = ["_static"]
html_css_files = ["sktune.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": {"**": ["page-toc"], "comparison": []},
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "navbar_end": ["theme-switcher"],
}
html_sidebars = {"index": [], "comparison": [], "benchmarks": []}
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None


# -- generated inputs ---------------------------------------------------------------
def _write_cli_help():
    """``sktune <command> --help`` as text files for the command-line page.

    Generated at every build from the parser itself, so the page cannot
    drift from the program.
    """
    import contextlib
    import io

    from sktune.cli import build_parser

    out = DOCS / "generated" / "cli"
    out.mkdir(parents=True, exist_ok=True)
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal's width
    parser = build_parser()
    commands = [None] + list(parser._subparsers._group_actions[0].choices)
    for command in commands:
        text = io.StringIO()
        with contextlib.redirect_stdout(text), contextlib.suppress(SystemExit):
            parser.parse_args(["--help"] if command is None else [command, "--help"])
        name = "sktune" if command is None else f"sktune-{command}"
        (out / f"{name}.txt").write_text(text.getvalue())


def _rebase_links(text, prefix):
    """Make the README's relative links work from ``docs/generated/``.

    Images (``![plot](bayes.png)``) are rebased onto ``prefix`` so that the
    page shows them; links to other files (``[bayes.py](bayes.py)``) become
    the file's path as code, since the site does not publish them.
    """
    import re

    local = r"(?!https?:|mailto:|#|/)([^)\s]+)"
    text = re.sub(r"!\[([^\]]*)\]\(" + local + r"\)",
                  lambda m: f"![{m[1]}]({prefix}{m[2]})", text)
    return re.sub(r"(?<!!)\[([^\]]+)\]\(" + local + r"\)",
                  lambda m: f"{m[1]} (`benchmarks/{m[2]}`)", text)


def _write_benchmarks():
    """Copy benchmarks/README.md for the benchmarks page, or say it is missing."""
    src = ROOT / "benchmarks" / "README.md"
    dst = DOCS / "generated" / "benchmarks_readme.md"
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.exists():
        text = _rebase_links(src.read_text(), "../../benchmarks/")
    else:
        text = "*No measurements are recorded yet: `benchmarks/README.md` does not exist.*\n"
    if not dst.exists() or dst.read_text() != text:
        dst.write_text(text)


_write_cli_help()
_write_benchmarks()
