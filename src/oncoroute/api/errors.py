"""How the API documents its error answers: a JSON body with a `detail`."""

from __future__ import annotations

from typing import Any

_ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"description": "A message, or one entry per invalid field."}},
    "required": ["detail"],
}


def error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_BODY}}}
