"""/v1/jobs: annotation jobs, and the answer to a request that asked for one.

Annotating an article is work for the annotation workers (``api.ops.queue``): the
request stores what it must, queues the job and answers 202 with it. A client that
prefers to wait says ``Prefer: wait=N``; the request then polls the job up to N
seconds and, if it is done, answers as a synchronous call would.
"""

from __future__ import annotations

import re
import time

from flask import current_app, request
from flask.views import MethodView
from kombu.exceptions import OperationalError

from api.http.blueprint import Blueprint
from api.http.errors import FieldErrors, Problem
from api.http.responses import json_response
from api.ops import queue
from api.store.events.read import load_events
from api.store.jobs import UNFINISHED, annotated_length, get_job, queue_annotation
from api.store.models import Article, Job
from schemas.common import aware
from schemas.jobs import JobSchema

blp = Blueprint(
    "jobs",
    __name__,
    url_prefix="/v1/jobs",
    description="Annotation jobs: queued, running, done with the events, or failed with why.",
)

_WAIT = re.compile(r"(?:^|[,;\s])wait\s*=\s*(\d{1,6})\b", re.I)
POLL_S = 0.05

ACCEPTED = {
    "schema": JobSchema,
    "description": "Queued: the job, to ask about at `Location` until it is done or failed.",
    "headers": {
        "Location": {"description": "The job: `/v1/jobs/{id}`.", "schema": {"type": "string"}}
    },
}


def job_dict(job: Job) -> dict:
    return {
        "id": job.id,
        "state": job.state,
        "article_id": job.article_id,
        "article": f"/v1/articles/{job.article_id}" if job.article_id else None,
        "attempt": job.attempt,
        "created_at": aware(job.created_at),
        "started_at": aware(job.started_at),
        "finished_at": aware(job.finished_at),
        "events": load_events(job.events) if job.state == "done" else None,
        "problem": _problem(job.problem) if job.problem else None,
    }


def _problem(stored: dict) -> dict:
    """A failed job's problem document: its type names the kind of failure."""
    kind = stored["title"].lower().replace(" ", "-")
    return {"type": f"urn:annals:job:{kind}", **stored}


def preferred_wait(article: Article) -> float | None:
    """Seconds the client prefers to wait (``Prefer: wait=N``), within the server's bound;
    ``None`` when it did not ask, or the article is longer than is waited for."""
    found = _WAIT.search(request.headers.get("Prefer", ""))
    if found is None:
        return None
    waited_for = int(current_app.config["JOB_WAIT_MAX_CHARS"])
    if annotated_length(article.title, article.body) > waited_for:
        return None
    return min(float(found.group(1)), float(current_app.config["JOB_WAIT_MAX_S"]))


def check_annotatable(title: str, body: str) -> None:
    """422 on ``body`` for an article longer than the annotator takes."""
    limit = int(current_app.config["ANNOTATION_MAX_CHARS"])
    if annotated_length(title, body) > limit:
        raise FieldErrors(
            {
                "body": [
                    f"Title and body together exceed the {limit:,} characters the "
                    "annotator takes; store the article without annotate=true."
                ]
            }
        )


def annotation_job(article: Article) -> Job:
    """Queue the article's annotation (or find the one queued) and send it to the workers.

    A broker that cannot be reached is a 503: the job stays queued, a worker starting
    sends it, and the client asking again is answered with the same job.
    """
    job = queue_annotation(article)
    if job.state == "queued":
        try:
            queue.enqueue(job.id)
        except OperationalError as exc:
            raise Problem(
                503,
                f"The annotation queue cannot be reached ({exc.__class__.__name__}); job "
                f"{job.id} waits for a worker. Ask again later.",
                headers={"Retry-After": "5"},
                job=f"/v1/jobs/{job.id}",
            ) from None
    return get_job(job.id)


def wait_for(job: Job, seconds: float) -> Job:
    """The job once finished, or as it stands after ``seconds``."""
    deadline = time.monotonic() + seconds
    while job.state in UNFINISHED and time.monotonic() < deadline:
        time.sleep(POLL_S)
        job = get_job(job.id)
    return job


def accepted(job: Job):
    """The 202 answer: the job, and where to ask about it."""
    headers = {"Location": f"/v1/jobs/{job.id}", "Vary": "Prefer"}
    return json_response(JobSchema().dump(job_dict(job)), 202, headers)


@blp.route("/<int:job_id>")
class JobItem(MethodView):
    @blp.response(200, JobSchema)
    @blp.problem(404, "No such job")
    def get(self, job_id):
        """Get an annotation job.

        Ask again until `state` is `done` (with the events stored) or `failed` (with
        the reason); a job waits for a worker while `queued`.
        """
        return job_dict(get_job(job_id))
