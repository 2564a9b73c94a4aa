import json


def _items(ws):
    data = json.loads((ws / "actions.json").read_text())
    assert isinstance(data, list), "actions.json must hold a JSON list"
    for item in data:
        assert {"owner", "action", "due"} <= set(item), f"missing keys in {item}"
    return data


def _find(ws, word):
    hits = [i for i in _items(ws) if word in i["action"].lower()]
    assert len(hits) == 1, f"expected one action about '{word}', found {len(hits)}"
    return hits[0]


def check_valid_json_list(ws):
    _items(ws)


def check_three_open_actions(ws):
    assert len(_items(ws)) == 3, "three actions are still open"


def check_dry_run_moved(ws):
    item = _find(ws, "dry run")
    assert item["owner"].strip().lower().startswith("tomasz")
    assert item["due"] == "2026-10-31", "the dry run moved to 2026-10-31"


def check_blog_post_reassigned(ws):
    item = _find(ws, "blog")
    assert item["owner"].strip().lower().startswith("marta"), "Marta owns the blog post now"
    assert item["due"] == "2026-10-28"


def check_support_macros(ws):
    item = _find(ws, "macro")
    assert item["owner"].strip().lower().startswith("ben") and item["due"] == "2026-11-04"


def check_webinar_cancelled(ws):
    assert not [i for i in _items(ws) if "webinar" in i["action"].lower()], "the webinar was cancelled"
