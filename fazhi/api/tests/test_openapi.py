"""The OpenAPI contract is committed (fazhi/api/openapi.json) so that any change to it shows
up in review. An intended change is accepted by refreshing the snapshot:

    UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest fazhi/api/tests/test_openapi.py

and committing the new file together with the code that changed the contract.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.test import Client

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi.json"


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_openapi_matches_the_committed_snapshot(db):
    schema = Client().get("/api/v1/openapi.json").json()
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(render(schema), encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot yet: run with UPDATE_OPENAPI_SNAPSHOT=1"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert schema == committed, (
        "The API contract changed. If intended, refresh the snapshot with "
        "UPDATE_OPENAPI_SNAPSHOT=1 pytest fazhi/api/tests/test_openapi.py and commit it."
    )


def test_every_operation_documents_its_errors(db):
    """Each operation names the error responses it can give, in the {code, message} shape."""
    schema = Client().get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), (method, path)
            errors = {s for s in statuses if s[0] in "45"}
            assert errors, (method, path)
            if operation.get("security"):
                assert "401" in errors, (method, path)
            for status in errors:
                ref = operation["responses"][status]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
