"""The annotation queue: Celery carries job ids to workers that annotate within bounds.

Why Celery: its prefork pool enforces a hard time limit by killing the pool process
that overran it and starting a fresh one (the job is marked failed, nothing else is
affected), replaces a process that grew past a memory bound after its job, and
redelivers the message of a worker killed mid-job (late acknowledgement). It speaks
RabbitMQ and Redis for production, where workers on any number of machines take
jobs from one queue, and kombu's file-system transport for the embedded default:
a folder under ``instance/`` that the web process and ``flask --app api worker`` on
one machine share, with no server to run.

The job row (``api.store.jobs``) stays the truth: a worker starting sends every
unfinished job again, so a message lost with the file-system transport (which has
no redelivery) is recovered too, and a duplicate message is a no-op.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from celery import Celery, signals
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded, WorkerLostError

from api.store import jobs
from api.store.db import database

log = logging.getLogger("annals.queue")

INLINE = "inline"  # JOB_BROKER_URL that runs each job inside the request (tests, scripts)

queue = Celery("annals", set_as_current=False)
_settings: dict = {}


def configure(settings: dict) -> Celery:
    """Point the queue at ``settings``' broker and bounds (the app factory calls this)."""
    _settings.clear()
    _settings.update(settings)
    url = str(settings["JOB_BROKER_URL"])
    limit = int(settings["JOB_TIME_LIMIT_S"])
    options: dict = {}
    if url.startswith("filesystem"):
        folder = Path(str(settings["JOB_QUEUE_DIR"])).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        # the exchange tables too: kombu keeps them in ./control unless told
        options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        }
    elif url.startswith(("redis", "rediss")):
        # A message taken by a worker that then vanished is handed out again after this:
        # longer than any job may run.
        options = {"visibility_timeout": limit * 2 + 30}
    _forget_connections()
    queue.conf.update(
        broker_url=None if url == INLINE else url,
        broker_transport_options=options,
        broker_connection_retry_on_startup=True,
        task_always_eager=url == INLINE,
        task_default_queue=str(settings["JOB_QUEUE"]),
        task_ignore_result=True,  # results live in the job row
        task_acks_late=True,  # a message is acknowledged once its job is finished
        task_reject_on_worker_lost=True,  # ... and handed out again if its worker died
        task_time_limit=limit,
        # The soft limit raises inside the job, which then fails itself; the hard one is
        # for code that cannot be interrupted (the process is killed and replaced).
        task_soft_time_limit=max(limit - 5, limit * 0.8),
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2},
        worker_prefetch_multiplier=1,  # a worker holds no job it has not started
        worker_hijack_root_logger=False,
        worker_enable_remote_control=not url.startswith("filesystem"),
    )
    return queue


def _forget_connections() -> None:
    """Forget the broker connections of an earlier configuration (tests configure anew):
    Celery's own reset after a fork, which drops its connection and producer pools."""
    queue._after_fork()


def enqueue(job_id: int, *, after: float | None = None) -> None:
    """Send the job to the workers (inline: run it now), or ``after`` seconds.

    The message carries no time limits: Celery would put in the limits this process's task
    was first bound with, and the worker's own (its JOB_TIME_LIMIT_S) are the ones meant.
    """
    annotate.apply_async((job_id,), countdown=after, time_limit=None, soft_time_limit=None)


@contextlib.contextmanager
def _connected():
    """A connection for the job, reusing the request's when it runs inline."""
    if not database.is_closed():
        yield
        return
    with database.connection_context():
        yield


def _lease() -> float:
    return float(_settings["JOB_TIME_LIMIT_S"]) + 10


@queue.task(name="annals.annotate")
def annotate(job_id: int) -> None:
    """Annotate the job's article and store its events, or mark the job failed with why."""
    with _connected():
        claimed = jobs.claim(job_id, lease=_lease())
    if claimed is None:
        return
    if isinstance(claimed, jobs.Busy):  # another worker may still be on it: look again later
        if not queue.conf.task_always_eager:  # inline, the request that runs it answers
            enqueue(job_id, after=claimed.seconds)
        return
    found = _annotate(claimed)
    if found is None:
        return
    try:
        with _connected():
            jobs.finish(claimed, found)
    except Exception as exc:  # storing may run out of its bounds too: this job fails alone
        log.exception("storing the events of job %s failed", claimed.job_id)
        title, detail = _why(exc)
        with _connected():
            jobs.fail(claimed.job_id, title, f"While storing the events: {detail}")


def _annotate(claimed: jobs.Claim) -> list | None:
    """What the annotator finds in the claimed article; ``None`` when the job failed."""
    from annotator import get_annotator

    article = claimed.article
    limit = int(_settings["ANNOTATION_MAX_CHARS"])
    failure = None
    if article is None:
        failure = ("Article deleted", "The article was deleted before it was annotated.")
    elif jobs.annotated_length(article.title, article.body) > limit:
        failure = ("Too long to annotate", f"Title and body exceed {limit:,} characters.")
    else:
        try:
            return get_annotator().annotate(
                article.body,
                title=article.title,
                published_at=article.published_at,
                language=article.language,
            )
        except Exception as exc:  # whatever went wrong fails this job only
            failure = _why(exc)
            if failure[0] == "Annotation failed":
                log.exception("annotation of job %s failed", claimed.job_id)
    with _connected():
        jobs.fail(claimed.job_id, *failure, attempt=claimed.attempt)
    return None


def _why(exc: BaseException) -> tuple[str, str]:
    """The failure a job's exception means. A limit may strike inside code that catches
    it and raises another error: the chain of causes says which it was."""
    seen = exc
    while seen is not None:
        if isinstance(seen, SoftTimeLimitExceeded):
            return "Time limit", _time_detail()
        if isinstance(seen, MemoryError):
            return "Memory limit", _memory_detail()
        seen = seen.__cause__ or seen.__context__
    return "Annotation failed", f"{exc.__class__.__name__}: {exc}"


def _time_detail() -> str:
    return f"The annotation ran past its limit of {_settings['JOB_TIME_LIMIT_S']} s."


def _memory_detail() -> str:
    return f"The annotation needed more than {_settings['JOB_MEMORY_LIMIT_MB']} MB."


@signals.task_failure.connect(sender=annotate)
def _on_failure(sender=None, task_id=None, exception=None, args=None, **_):
    """In the worker's main process: the pool process was killed at the hard time limit,
    or lost for good. The job is failed with why; the pool has a fresh process already."""
    if not args:
        return
    if isinstance(exception, TimeLimitExceeded):
        failure = ("Time limit", _time_detail())
    elif isinstance(exception, WorkerLostError):
        failure = ("Worker lost", f"The worker annotating the article died: {exception}")
    else:
        failure = ("Annotation failed", f"{exception.__class__.__name__}: {exception}")
    with _connected():
        jobs.fail(args[0], *failure)
    _release_connections()


@signals.worker_process_init.connect
def _bound_pool_process(**_):
    """In each pool process: its own connections (none shared across fork), and the memory
    one article may take: ``JOB_MEMORY_LIMIT_MB`` of address space beyond what the process
    holds at its start (the models, forked from the worker). Past it, allocation fails
    (MemoryError), the job fails, and the process is replaced after it (see run_worker)."""
    from api.store import db

    db.bind(
        str(_settings["DATABASE_URL"]),
        pool_size=2,
        busy_timeout_ms=int(_settings["SQLITE_BUSY_TIMEOUT_MS"]),
        lock_timeout_ms=int(_settings["POSTGRES_LOCK_TIMEOUT_MS"]),
    )
    allowed = int(_settings["JOB_MEMORY_LIMIT_MB"]) * 2**20
    if allowed > 0:
        limit = _address_space() + allowed
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    log.info("pool process %s ready (%s MB per article)", os.getpid(), allowed // 2**20)


def _address_space() -> int:
    """Bytes of address space this process holds now."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return pages * resource.getpagesize()


@signals.worker_ready.connect
def _send_unfinished(**_):
    """A worker starting sends every unfinished job again (see the module's docstring)."""
    with _connected():
        pending = jobs.unfinished()
    _release_connections()
    for job_id in pending:
        enqueue(job_id)
    log.info("worker ready; %d unfinished jobs sent again", len(pending))


def _release_connections() -> None:
    """The main process keeps no open connection a pool process forked later would share."""
    with contextlib.suppress(AttributeError):
        database.obj.close_all()


@contextlib.contextmanager
def local_workers(settings: dict, count: int):
    """``count`` pool processes of a worker of this machine's, on ``settings``, for the
    block (``flask ingest --workers``); none for ``count`` 0 or jobs run inline."""
    if count <= 0 or str(settings["JOB_BROKER_URL"]) == INLINE:
        yield
        return
    from api.config import DEFAULTS

    env = {**os.environ, **{name: str(settings[name]) for name in DEFAULTS if name in settings}}
    argv = [sys.executable, "-m", "flask", "--app", "api", "worker", f"--concurrency={count}"]
    process = subprocess.Popen(
        [*argv, "--loglevel=ERROR"], env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        yield
    finally:
        process.terminate()  # a warm shutdown: the job it runs is finished first
        try:
            process.wait(timeout=float(settings["JOB_TIME_LIMIT_S"]) + 10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_worker(concurrency: int, loglevel: str = "INFO") -> None:
    """Run a worker in this process (``flask --app api worker``) until it is stopped."""
    url = str(_settings["JOB_BROKER_URL"])
    if url == INLINE:
        raise RuntimeError("JOB_BROKER_URL=inline runs jobs in the request; no worker to run")
    # One BLAS thread per pool process: each runs one job at a time, and natasha's small
    # products cost several times more CPU spread over threads (9.9 ms against 1.2 ms a call).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from annotator import get_annotator

    get_annotator()  # loaded once here: every pool process, replaced ones too, starts with it
    # A pool process whose resident memory peaked a quarter of the per-article limit above
    # the worker's (a big article, or one that hit the limit) is replaced after its job.
    started_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.conf.worker_max_memory_per_child = (
        started_kb + int(_settings["JOB_MEMORY_LIMIT_MB"]) * 1024 // 4
    )
    argv = [
        "worker",
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
        "--pool=prefork",
        f"--queues={_settings['JOB_QUEUE']}",
        # A name of its own: two workers of one host named alike share RabbitMQ's exclusive
        # control queue, and the second cannot start.
        f"--hostname=annals.{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    queue.worker_main(argv)
