"""/v1/changes: every create, update and delete, in commit order, for mirrors.

The log itself, its triggers and what it records are the store's (``api.store.changelog``).
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import peewee as pw
from flask import request
from flask.views import MethodView

from api.http.blueprint import Blueprint
from api.http.errors import FieldErrors
from api.http.pagination import decode_cursor, encode_cursor
from api.store.changelog import RESOURCES
from api.store.models import ChangeLog
from api.store.order import Order
from schemas.changes import ChangeListArgs, ChangePageSchema
from schemas.common import aware, naive_utc, parse_timestamp

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1/changes",
    description="The change feed: creates, updates and deletes in order, to keep a mirror.",
)
ORDER = Order("seq", (ChangeLog.seq,))


def change_dict(row: ChangeLog) -> dict:
    _, key_column, pattern = RESOURCES[row.resource]
    key = row.key if key_column != "id" else int(row.key)
    return {
        "seq": row.seq,
        "resource": row.resource,
        "id": key,
        "action": row.action,
        "at": aware(row.at),
        "href": pattern.format(row.key),
    }


def _start(since: str | None) -> tuple[pw.Expression | None, int]:
    """The condition selecting changes after ``since``, and the position it stands for."""
    if not since:
        return None, 0
    moment = parse_timestamp(since)
    if moment is not None:
        first = (
            ChangeLog.select(ChangeLog.seq)
            .where(ChangeLog.at >= naive_utc(moment))
            .order_by(ChangeLog.at, ChangeLog.seq)
            .limit(1)
            .scalar()
        )
        if first is None:
            last = ChangeLog.select(pw.fn.MAX(ChangeLog.seq)).scalar() or 0
            return ChangeLog.seq > last, last
        return ChangeLog.seq >= first, first - 1
    try:
        condition = decode_cursor(ORDER, since)
        raw = base64.urlsafe_b64decode(since + "=" * (-len(since) % 4))
        position = json.loads(raw)[1]
    except FieldErrors:
        raise FieldErrors(
            {
                "since": [
                    "Neither a timestamp with offset (2025-12-05T12:00:00Z) nor a cursor "
                    "from `meta.cursor` or `links.next`."
                ]
            }
        ) from None
    return condition, position


@blp.route("")
class Changes(MethodView):
    @blp.arguments(ChangeListArgs, location="query")
    @blp.response(200, ChangePageSchema)
    def get(self, args):
        """List changes in the order they were committed.

        Each creation, update or deletion of an event, article, entity, place,
        source or topic, oldest first, with the URL to read the resource
        again. Start with no `since` (everything from the beginning) or a
        timestamp; then pass `meta.cursor` as `since` to get only what changed
        after the last change seen, also once the feed is read to the end.
        """
        condition, position = _start(args.get("since"))
        query = ChangeLog.select()
        if condition is not None:
            query = query.where(condition)
        if args.get("resource"):
            query = query.where(ChangeLog.resource.in_(args["resource"]))
        limit = args["limit"]
        rows = list(query.order_by(ChangeLog.seq).limit(limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        if rows:
            position = rows[-1].seq
        cursor = encode_cursor(ORDER, [position])
        headers = {}
        next_link = None
        if more:
            next_link = next_url_with_since(cursor)
            headers["Link"] = f'<{next_link}>; rel="next"'
        body = {
            "data": [change_dict(r) for r in rows],
            "links": {"next": next_link},
            "meta": {"limit": limit, "sort": "seq", "cursor": cursor},
        }
        return body, 200, headers


def next_url_with_since(cursor: str) -> str:
    """This request's URL with ``since`` set to ``cursor``."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "since"]
    args.append(("since", cursor))
    return f"{request.base_url}?{urlencode(args)}"
