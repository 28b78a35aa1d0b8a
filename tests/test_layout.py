"""The seams of the code map (README): which store it is, is the dialect's business alone."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("api", "schemas", "annotator")
# Where the store is chosen (db: by DATABASE_URL) and where its differences live.
STORE_AWARE = ("api/store/db.py", "api/store/dialect/")
# Names that tell one store from the other.
STORE_NAMES = {
    "PostgresqlDatabase", "SqliteDatabase", "PooledPostgresqlDatabase", "PooledSqliteDatabase",
    "sqlite3", "sqlite_version_info", "psycopg", "psycopg2", "POSTGRES", "SQLITE", "dialect_of",
    "is_postgres",
}  # fmt: skip


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(STORE_AWARE):
                yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _store_names(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in STORE_NAMES:
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in STORE_NAMES:
            found.add(node.attr)
        elif isinstance(node, ast.alias) and node.name.split(".")[0] in STORE_NAMES:
            found.add(node.name)
    return found


def test_nothing_outside_the_dialect_asks_which_store_it_is():
    asking = {path: sorted(names) for path, tree in _sources() if (names := _store_names(tree))}
    assert asking == {}


def test_the_check_sees_a_question_about_the_store():
    tree = ast.parse("import peewee as pw\nif isinstance(db, pw.PostgresqlDatabase): pass\n")
    assert _store_names(tree) == {"PostgresqlDatabase"}
    tree = ast.parse("from api.store.dialect import POSTGRES\n")
    assert _store_names(tree) == {"POSTGRES"}
