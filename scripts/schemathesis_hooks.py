"""Schemathesis hooks for piiflow's OpenAPI document (loaded by scripts/schemathesis).

`format: audit-cursor` is a `next_cursor` the audit route handed out: the base64url (no
padding) of the store's position, `{"before_seq": N}`. Clients hand it back unchanged; this
makes the cursors a client can hold.
"""

import base64
import json

import schemathesis
from hypothesis import strategies as st


def _cursor(before_seq: int) -> str:
    position = json.dumps({"before_seq": before_seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(position).decode().rstrip("=")


schemathesis.openapi.format("audit-cursor", st.integers(min_value=0, max_value=2**53).map(_cursor))
