"""Annotation jobs: what ``GET /v1/jobs/{id}`` answers, and the ``Prefer: wait`` header."""

from marshmallow import Schema, fields

from schemas.common import enum_doc
from schemas.events import EventSchema

_AT = "2025-12-05T12:00:01+00:00"
STATE_MEANINGS = {
    "queued": "waiting for a worker",
    "running": "a worker is annotating the article",
    "done": "the events are stored: `events` holds them",
    "failed": "`problem` says why; the article stays stored, and "
    "`POST /v1/articles/{id}/annotate` tries again",
}


class JobProblemSchema(Schema):
    """RFC 9457 problem details of a failed job (no HTTP status: no request failed)."""

    type = fields.String(
        metadata={
            "description": "The kind of failure: `urn:annals:job:time-limit`, "
            "`urn:annals:job:memory-limit`, `urn:annals:job:worker-lost`, "
            "`urn:annals:job:article-deleted`, `urn:annals:job:too-long-to-annotate` or "
            "`urn:annals:job:annotation-failed`.",
            "example": "urn:annals:job:time-limit",
        }
    )
    title = fields.String(
        metadata={"description": "The failure, in short.", "example": "Time limit"}
    )
    detail = fields.String(
        metadata={
            "description": "The failure, for a person.",
            "example": "The annotation ran past its limit of 60 s.",
        },
    )


class JobSchema(Schema):
    id = fields.Integer(metadata={"description": "Job id.", "example": 1})
    state = fields.String(
        metadata={**enum_doc("Where the job stands.", STATE_MEANINGS, enum=True), "example": "done"}
    )
    article_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The article annotated (null once deleted).", "example": 1},
    )
    article = fields.String(
        allow_none=True,
        metadata={"description": "The article's location.", "example": "/v1/articles/1"},
    )
    attempt = fields.Integer(
        metadata={
            "description": "How many workers took the job (more than one when a worker was "
            "lost mid-job: the next one starts again, and only one stores events).",
            "example": 1,
        }
    )
    created_at = fields.DateTime(metadata={"description": "When it was asked for.", "example": _AT})
    started_at = fields.DateTime(
        allow_none=True, metadata={"description": "When a worker last took it.", "example": _AT}
    )
    finished_at = fields.DateTime(
        allow_none=True, metadata={"description": "When it was done or failed.", "example": _AT}
    )
    events = fields.List(
        fields.Nested(EventSchema),
        allow_none=True,
        metadata={"description": "When `done`: the events stored (as the event list shows them)."},
    )
    problem = fields.Nested(
        JobProblemSchema,
        allow_none=True,
        metadata={"description": "When `failed`: why (`title`) and in words (`detail`)."},
    )


PREFER_DESCRIPTION = (
    "`wait=N` (RFC 7240): wait up to N seconds (at most the server's `JOB_WAIT_MAX_S`, "
    "10 by default) for the annotation of an article of up to `JOB_WAIT_MAX_CHARS` "
    "characters (20,000 by default); if it is done by then, the answer is the article "
    "with its events, as a synchronous call would give it, else the job (202). Without "
    "it, or for a longer article, the answer is the job at once."
)
