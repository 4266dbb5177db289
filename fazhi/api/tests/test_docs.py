"""The docs page works offline: it and everything it loads come from this installation."""

from __future__ import annotations

import json
import re

from django.test import Client

SRC = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_docs_page_loads_nothing_from_elsewhere(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = SRC.findall(html)
    assert len(urls) >= 4  # stylesheet, icons, bundle, init script
    for url in urls:
        assert url.startswith("/api/v1/docs/assets/"), url
        asset = Client().get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content)  # type: ignore[attr-defined]
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html

    # No inline script: the settings travel as JSON data, read by the init script.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attrs, _body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs
    found = re.search(r'id="swagger-settings"[^>]*>(.*?)</script>', html, re.S)
    assert found is not None
    settings = json.loads(found[1])
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None  # Swagger UI would call validator.swagger.io

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "http" not in csp


def test_docs_assets_are_a_fixed_list(db):
    assert (
        Client()
        .get("/api/v1/docs/assets/swagger-ui-bundle.js")["Content-Type"]
        .endswith("javascript")
    )
    for name in ("redoc.standalone.js.map", "..%2F__init__.py", "swagger-ui-bundle.js.map"):
        assert Client().get(f"/api/v1/docs/assets/{name}").status_code == 404


def test_openapi_is_public_json(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "法治平台接口"
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
