"""JSON text as the API reads it (RFC 8259): request bodies and each line of an ingest."""

from __future__ import annotations

import json


def load_json(data: bytes) -> object:
    """The value of the JSON text ``data``.

    Raises :class:`json.JSONDecodeError` (its ``msg`` says why) for what is no JSON
    text: not UTF-8, ``NaN``/``Infinity``, nesting too deep, an integer too long to
    read or a name that is no Unicode text; never ``RecursionError`` or another
    ``ValueError``.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError(f"not UTF-8: {exc.reason}", "?", 0) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_object)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "?", 0) from None
    except ValueError:  # an integer of more digits than Python reads (4300)
        raise json.JSONDecodeError("an integer too long to read", "?", 0) from None


def _refuse_constant(name: str):
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object. A name holding half a surrogate pair (``"\\ud800"``, RFC 8259
    section 8.2) is no Unicode text: it can name no field, and the problem document
    naming it as unknown could not be written as UTF-8. (A value holding one is left to
    the schema: ``Text`` refuses it, naming the field.)"""
    for name, _ in pairs:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raise json.JSONDecodeError("a name that is not Unicode text", "?", 0) from None
    return dict(pairs)
