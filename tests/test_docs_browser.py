"""The docs page in a real browser: Debian's Chromium driven by Playwright.

The page lists every tag and operation of the OpenAPI document, and "Try it
out" on `GET /v1/events` shows the seed's events. No browser is downloaded:
Playwright drives /usr/bin/chromium (`apt-get install chromium`).
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright
from served import live_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def page(database_url, tmp_path):
    with (
        live_server(database_url, tmp_path / "gunicorn.log") as (base, _key),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.base = base
            yield page
        finally:
            browser.close()


def test_docs_list_everything_and_try_it_out_runs(page):
    with urllib.request.urlopen(f"{page.base}/openapi.json") as response:
        spec = json.load(response)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{page.base}/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Annals")

    tags = [tag["name"] for tag in spec["tags"]]
    shown = page.locator(".opblock-tag-section .opblock-tag").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('data-tag'))"
    )
    assert shown == tags

    expected = {
        (method.upper(), path, operation["operationId"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }
    listed = page.locator(".opblock").evaluate_all(
        """nodes => nodes.map(n => [
            n.querySelector('.opblock-summary-method').textContent,
            n.querySelector('.opblock-summary-path').getAttribute('data-path'),
            n.id])"""
    )
    assert {(method, path) for method, path, _ in listed} == {(m, p) for m, p, _ in expected}
    assert len(listed) == len(expected)

    operation = page.locator("#operations-events-getEvents")
    operation.locator(".opblock-summary").click()
    try_it = operation.locator(".try-out__btn")
    if try_it.inner_text().strip() == "Try it out":
        try_it.click()
    operation.locator("button.execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    expect(body).to_contain_text("32-е заседание Совета министров иностранных дел ОБСЕ")
    status = operation.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_have_text("200")
    data = json.loads(body.inner_text())["data"]
    assert len(data) == 6
    assert {e["venue"]["name"] for e in data} == {"Vienna"}
    assert errors == []
