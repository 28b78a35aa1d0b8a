"""Command line: ``flask --app api <command>``."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from api.store.db import database

openapi_cli = AppGroup("openapi", help="The OpenAPI document.")
db_cli = AppGroup("db", help="The database schema.")


def _spec() -> dict:
    return current_app.extensions["annals"]["api"].spec.to_dict()


@openapi_cli.command("write")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def openapi_write(output: str) -> None:
    """Write the live OpenAPI document (YAML, or JSON for a .json name)."""
    from api.meta import openapi_yaml

    spec = _spec()
    if output.endswith(".json"):
        text = json.dumps(spec, ensure_ascii=False, indent=2) + "\n"
    else:
        text = openapi_yaml(spec)
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"wrote {output}")


@openapi_cli.command("print")
def openapi_print() -> None:
    """Print the live OpenAPI document as YAML."""
    from api.meta import openapi_yaml

    click.echo(openapi_yaml(_spec()), nl=False)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply pending schema migrations."""
    from api.store.migrations import current_version, upgrade

    with database.connection_context():
        applied = upgrade()
        click.echo(f"schema at version {current_version()} (applied: {applied or 'none'})")


@click.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema and the topic vocabulary."""
    from api.ops.fixtures import load_topics
    from api.store.migrations import current_version, upgrade

    with database.connection_context():
        upgrade()
        load_topics()
        click.echo(f"database ready (schema version {current_version()})")


@click.command("load-fixtures")
def load_fixtures_command() -> None:
    """Load fixtures/ (topics, the seed article and its events); idempotent."""
    from api.ops.fixtures import load_fixtures
    from api.store.migrations import upgrade

    with database.connection_context():
        upgrade()
        counts = load_fixtures()
    click.echo(f"topics changed: {counts['topics']}, events made: {counts['events']}")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--annotate/--no-annotate", default=True, help="Find the events (default: yes).")
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=1,
    help="Annotating processes to run here meanwhile (0: only workers running elsewhere).",
)
@click.option("--wait/--no-wait", default=True, help="Wait for the annotation jobs (default).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext  # for the body limit and the queue of the app's settings
def ingest_command(
    paths: tuple[str, ...], annotate: bool, workers: int, wait: bool, quiet: bool
) -> None:
    """Store feed-format text files and JSON Lines (directories recursively), and queue the
    annotation of each article stored."""
    from api.ops.ingest import ingest
    from api.store.migrations import upgrade

    def report(origin: str, reason: str) -> None:
        click.echo(f"failed: {origin}: {reason}", err=True)

    with database.connection_context():
        upgrade()
        summary = ingest(
            paths,
            limit=current_app.config["MAX_CONTENT_LENGTH"],
            settings=current_app.config,
            annotate=annotate,
            workers=workers,
            wait=wait,
            progress=not quiet,
            report=report,
        )
    click.echo(
        f"stored {summary.stored}, skipped {summary.skipped} (already stored), "
        f"failed {summary.failed}, events made {summary.events}"
    )
    if summary.queued and not wait:
        click.echo(f"annotation jobs queued {summary.queued}, not waited for")
    if summary.failed:
        raise SystemExit(1)


@click.command("worker")
@click.option(
    "--concurrency", type=click.IntRange(1, 64), default=1, help="Pool processes (annotating)."
)
@click.option("--loglevel", default="INFO", help="Celery's log level.")
def worker_command(concurrency: int, loglevel: str) -> None:
    """Take annotation jobs from the queue (JOB_BROKER_URL) until stopped."""
    from api.ops.queue import run_worker

    run_worker(concurrency, loglevel)


@click.command("evaluate")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--thresholds", type=click.Path(exists=True, dir_okay=False))
@click.option("--details", is_flag=True, help="List every miss per article.")
def evaluate_command(path: str, thresholds: str | None, details: bool) -> None:
    """Score the annotator on a gold set; exit 1 below the thresholds."""
    from annotator.evaluation import main

    argv = [
        path,
        *(["--thresholds", thresholds] if thresholds else []),
        *(["--details"] if details else []),
    ]
    raise SystemExit(main(argv))


def register(app: Flask) -> None:
    # Replaces flask-smorest's own `openapi` group: ours writes YAML for a .yaml name.
    app.cli.add_command(openapi_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(init_db)
    app.cli.add_command(load_fixtures_command)
    app.cli.add_command(ingest_command)
    app.cli.add_command(evaluate_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(__import__("api.ops.synthetic").ops.synthetic.seed_synthetic_command)
    for command in __import__("api.keys").keys.COMMANDS:
        app.cli.add_command(command)
    for command in __import__("api.ops.transfer").ops.transfer.COMMANDS:
        app.cli.add_command(command)
