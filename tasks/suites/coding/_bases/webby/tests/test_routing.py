import pytest

from webby.routing import Router


def h(request, **kw):
    return kw


def test_converters():
    r = Router()
    r.add("/items/<int:item_id>", h)
    route, params = r.match("GET", "/items/42")
    assert params == {"item_id": 42}


def test_url_for():
    r = Router()
    r.add("/u/<name>/posts/<int:n>", h, name="post")
    assert r.url_for("post", name="ann", n=3) == "/u/ann/posts/3"
    with pytest.raises(KeyError):
        r.url_for("post", name="ann")
