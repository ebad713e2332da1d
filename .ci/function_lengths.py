"""List the functions of sktune/ longer than a limit, in lines of code.

A line of code is a line of the function's body that is neither blank, nor
only a comment, nor part of its docstring (the limit is about logic, and
numpydoc docstrings with examples are long on purpose).

Usage: python .ci/function_lengths.py [LIMIT]   (default 80; exit 1 if any)
"""

import ast
import io
import sys
import tokenize
from pathlib import Path


def _code_lines(source):
    """Numbers of the lines that hold a token other than a comment or a string alone."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                            tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return lines


def _docstring_lines(node):
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return set(range(body[0].lineno, body[0].end_lineno + 1))
    return set()


def long_functions(root, limit):
    for path in sorted(Path(root).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        code = _code_lines(source)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                span = set(range(node.lineno, node.end_lineno + 1))
                n = len((span & code) - _docstring_lines(node))
                if n > limit:
                    yield f"{path}:{node.lineno}", node.name, n


def main(argv):
    limit = int(argv[1]) if len(argv) > 1 else 80
    found = list(long_functions("sktune", limit))
    for where, name, n in found:
        print(f"{where}: {name} has {n} lines of code (limit {limit})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
