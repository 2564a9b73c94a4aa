"""A PDF deliverable's pages, drawn by poppler in isolation, reach a judge that takes images as image parts of its own
dialect (Anthropic Messages, OpenAI Responses and Chat), checked by each provider's fake; a text-only provider is sent
the text alone, and each fake refuses an image its provider would refuse."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from harness.agents.judge import pdf_pages
from harness.agents.panel import judge_checks
from harness.agents.render import render
from harness.sandboxes.overlay import DirView
from providers.registry import build_model
from results.prices import Catalog
from tasks.rubric import Check
from tests.conftest import FAKE_KEY
from tests.providers.test_wires import post

CHECK = Check(check_id="W1-T1-P-02", task_id="w1_t1", check_type="A", scoring_type="binary",
              taskdoer_output_file="market_overview.pdf", check_description="The overview fits on one page.")
PASS = json.dumps({"score": 1, "reasoning": "one page, as drawn"})
FAIL = json.dumps({"score": 0, "reasoning": "no page was shown"})


@pytest.fixture(scope="module")
def pdf_folder(tmp_path_factory):
    from fpdf import FPDF
    folder = tmp_path_factory.mktemp("deliverables")
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=16)
    doc.cell(text="Market overview: four channels, retail 72%")
    doc.output(str(folder / "market_overview.pdf"))
    (folder / "notes.md").write_text("not a PDF: never drawn")
    return folder


def test_a_pdf_deliverable_is_drawn_page_by_page_in_isolation(pdf_folder):
    shown = {"market_overview.pdf": "x", "notes.md": "y"}
    pages = asyncio.run(pdf_pages(DirView(pdf_folder), shown))
    assert list(pages) == ["market_overview.pdf"] and len(pages["market_overview.pdf"]) == 1
    assert base64.b64decode(pages["market_overview.pdf"][0]).startswith(b"\x89PNG\r\n\x1a\n")
    assert asyncio.run(pdf_pages(DirView(pdf_folder), {"notes.md": "y"})) == {}  # only PDFs the judge is shown


@pytest.mark.parametrize(("spec", "emulate", "env", "part"), [
    ("anthropic:claude-opus-4-8", "anthropic", "ANTHROPIC_API_KEY", "image"),
    ("openai:gpt-5.5", "openai", "OPENAI_API_KEY", "input_image"),
    ("openai-chat:gpt-5.5", "openai", "OPENAI_API_KEY", "image_url"),
    ("deepseek:deepseek-v4-pro", "deepseek", "DEEPSEEK_API_KEY", None),  # its API takes text alone
])
def test_a_judge_is_shown_the_pages_in_its_own_dialect_when_it_takes_images(pdf_folder, fake, monkeypatch, spec,
                                                                               emulate, env, part):
    monkeypatch.setenv(env, FAKE_KEY)
    model = spec.split(":", 1)[1]
    server = fake({"model": model, "models": [model], "emulate": emulate,
                   "conversations": [{"match": "The first pages of market_overview.pdf follow as images.",
                                      "turns": [{"content": PASS}]}], "default": [{"content": FAIL}]})

    async def go():
        shown = {"market_overview.pdf": await render(pdf_folder / "market_overview.pdf", 20_000)}
        images = await pdf_pages(DirView(pdf_folder), shown)
        judge = build_model(f"{spec}@{server.url}", Catalog.load())
        try:
            assert judge.takes_images == (part is not None)  # declared by the provider's profile, never probed
            return await judge_checks([judge], "Write the market overview.", [CHECK], shown, images=images)
        finally:
            await judge.aclose()

    (verdict,) = asyncio.run(go())
    (asked,) = server.requests
    assert "refused" not in asked, asked  # the fake found the image well formed, in its dialect
    assert asked["images"] == (1 if part else 0)
    assert verdict.passed is (part is not None) and verdict.error == ""


def test_each_fake_refuses_an_image_its_provider_refuses(fake):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\0" * 16).decode()
    anthropic = fake({"model": "claude-opus-4-8", "models": ["claude-opus-4-8"], "emulate": "anthropic"})
    headers = {"x-api-key": FAKE_KEY, "anthropic-version": "2023-06-01"}
    wrong_type = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": jpeg}}
    status, text = post(anthropic.url + "/messages", {"model": "claude-opus-4-8", "max_tokens": 100, "messages": [
        {"role": "user", "content": [{"type": "text", "text": "look"}, wrong_type]}]}, headers)
    assert status == 400 and "does not match the provided media type image/png" in text
    deepseek = fake({"model": "deepseek-v4-pro", "models": ["deepseek-v4-pro"], "emulate": "deepseek"})
    part = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}}
    status, text = post(deepseek.url + "/chat/completions", {"model": "deepseek-v4-pro", "messages": [
        {"role": "user", "content": [{"type": "text", "text": "look"}, part]}]}, {"authorization": f"Bearer {FAKE_KEY}"})
    assert status == 400 and "unknown variant `image_url`, expected `text`" in text
    openai = fake({"model": "gpt-5.5", "models": ["gpt-5.5"], "emulate": "openai"})
    status, text = post(openai.url + "/responses", {"model": "gpt-5.5", "input": [
        {"role": "user", "content": [{"type": "input_text", "text": "look"}, part]}]},  # a chat part on Responses
        {"authorization": f"Bearer {FAKE_KEY}"})
    assert status == 400 and "Invalid value: 'image_url'" in text
