"""The docs page in a real browser: Debian's Chromium driven by Playwright.

The page lists every tag and operation of the OpenAPI document, and "Try it
out" on `GET /v1/events` shows the seed's events. No browser is downloaded:
Playwright drives /usr/bin/chromium (`apt-get install chromium`).
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

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


def test_docs_show_descriptions_real_examples_and_who_may_call(page, tmp_path):
    """What a person reads at /docs: field descriptions, the seed's real data as examples,
    no lock on what anyone may read, and how to get a key. Screenshots go to
    ``$DOCS_SCREENSHOTS`` (else the test's temporary directory), never into the repo."""
    shots = Path(os.environ.get("DOCS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{page.base}/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Annals")

    # Reads are open: no padlock; writes show one.
    assert page.locator("#operations-events-getEvents .authorization__btn").count() == 0
    assert page.locator("#operations-events-postEvents .authorization__btn").count() == 1
    page.screenshot(path=shots / "docs-top.png")

    # One event: the seed's Vienna meeting, with its participants and evidence.
    item = page.locator("#operations-events-getEventItem")
    item.locator(".opblock-summary").click()
    success = item.locator(".responses-table .response").first
    example = success.locator(".highlight-code").first
    for text in ("Ермек Кошербаев", "Vienna", "2025-12-05", "Министр иностранных дел Казахстана"):
        expect(example).to_contain_text(text)
    unauthorized = item.locator(".responses-table tr.response[data-code='401'] .highlight-code")
    expect(unauthorized).to_contain_text("The API key is not valid")
    assert "existing" not in unauthorized.inner_text()
    item.screenshot(path=shots / "docs-get-event.png")

    # The list's example is made of the fields' own examples: nothing made up.
    listing = page.locator("#operations-events-getEvents")
    listing.locator(".opblock-summary").click()
    expect(listing.locator(".parameters")).to_contain_text("Review state:")
    shown = listing.locator(".responses-table .response").first
    expect(shown.locator(".highlight-code").first).to_contain_text(
        "Встреча министров иностранных дел стран Центральной Азии и Северной Европы"
    )
    text = shown.locator(".highlight-code").first.inner_text()
    assert '"string"' not in text and "additionalProp" not in text, text
    # The schema: every field described, each enum value explained.
    shown.locator("button", has_text="Schema").first.click()
    model = shown.locator(".json-schema-2020-12").first
    model.get_by_role("button", name="Expand all").first.click()  # `data`, to the bottom
    for description in (
        "What happened, in a line.",
        "Kind of event:",
        "— two parties meet (CAMEO 040)",
        "Review state:",
        "The annotator's confidence",
    ):
        expect(model).to_contain_text(description)
    shown.screenshot(path=shots / "docs-event-schema.png")

    # The Authorize dialog sends a user to whoever runs the server, not to a shell.
    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".modal-ux")
    expect(dialog).to_contain_text("POST /v1/keys")
    dialog.screenshot(path=shots / "docs-authorize.png")
    assert errors == []
    assert sorted(p.name for p in shots.glob("docs-*.png")) == [
        "docs-authorize.png",
        "docs-event-schema.png",
        "docs-get-event.png",
        "docs-top.png",
    ]
