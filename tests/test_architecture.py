"""The two homes and their rules: the reader's library (geneva_talks) imports nothing of the
book's tooling (book_tools); the tooling uses the library only through its public interface
(the packages' __all__ and the public names of its public modules, never the data package's
inner modules or a private name); modules stay small; no six lines are written twice in the
library."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from projects import ROOT

import geneva_talks

LIBRARY = ROOT / "geneva_talks"
TOOLING = ROOT / "book_tools"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
REPEAT_LINES = 6


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in ``path``, relative imports made absolute."""
    inside = path.is_relative_to(ROOT)
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1]) if inside else ""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base]) if base else ".".join(parts)
            found.append((base, [alias.name for alias in node.names]))
    return found


def test_the_library_imports_nothing_from_the_tooling():
    for path in modules(LIBRARY):
        for module, _names in imported(path):
            assert not module.startswith("book_tools"), f"{path.name} imports {module}"


def public_interface() -> dict[str, set[str]]:
    """What the tooling may import: the names of geneva_talks.__all__ and of
    geneva_talks.data.__all__, and the public names of each top-level public module."""
    import importlib

    allowed = {"geneva_talks": set(geneva_talks.__all__),
               "geneva_talks.data": set(geneva_talks.data.__all__)}
    for path in LIBRARY.glob("*.py"):
        if not path.name.startswith("_"):
            module = importlib.import_module(f"geneva_talks.{path.stem}")
            allowed[module.__name__] = {n for n in vars(module) if not n.startswith("_")}
    return allowed


def test_the_tooling_uses_only_the_librarys_public_interface():
    allowed = public_interface()
    for path in modules(TOOLING):
        source = path.read_text(encoding="utf-8")
        for module, names in imported(path):
            if module.startswith("geneva_talks"):
                assert module in allowed, f"{path.name} imports {module}, not a public module"
                assert set(names) <= allowed[module], \
                    f"{path.name} imports {set(names) - allowed[module]} from {module}"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "geneva_talks":
                assert node.attr in allowed["geneva_talks"] or node.attr.startswith("__"), \
                    f"{path.name} uses geneva_talks.{node.attr}"


def test_the_checks_above_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from geneva_talks.data.reading import read_files\nimport book_tools\n")
    found = dict(imported(bad))
    assert "geneva_talks.data.reading" in found and "book_tools" in found


@pytest.mark.parametrize("folder", [LIBRARY, TOOLING], ids=["library", "tooling"])
def test_modules_and_functions_stay_small(folder):
    for path in modules(folder):
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") <= MAX_MODULE_LINES, f"{path.name}: {text.count(chr(10))} lines"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno
                assert length <= MAX_FUNCTION_LINES, f"{path.name}: {node.name} ({length})"


def _code_lines(path: Path) -> list[tuple[str, int]]:
    """(normalised line, line number): code only (no blank lines, comments or docstrings)."""
    text = path.read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            docstrings.update(range(node.lineno, node.end_lineno + 1))
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = re.sub(r"\s+", " ", line.split("  #")[0]).strip()
        if code and not code.startswith(("#", "import ", "from ")) and number not in docstrings \
                and len(code) > 3:
            lines.append((code, number))
    return lines


def test_no_six_lines_are_written_twice_in_the_library():
    seen: dict[tuple[str, ...], str] = {}
    for path in modules(LIBRARY):
        lines = _code_lines(path)
        for i in range(len(lines) - REPEAT_LINES + 1):
            window = tuple(code for code, _ in lines[i:i + REPEAT_LINES])
            here = f"{path.relative_to(ROOT)}:{lines[i][1]}"
            assert window not in seen, f"{here} repeats {seen[window]}"
            seen[window] = here
