import hashlib

from webby import App, Client, Response


def _client():
    from webby.middleware import ConditionalGet

    app = App()
    app.use(ConditionalGet())

    @app.get("/page")
    def page(request):
        return Response("<p>hello</p>", headers={"Cache-Control": "max-age=60"})

    @app.get("/tagged")
    def tagged(request):
        return Response("x", headers={"ETag": '"v7"'})

    @app.get("/empty")
    def empty(request):
        return None

    @app.get("/missing")
    def missing(request):
        return "gone", 404

    @app.route("/form", methods=["GET", "POST"])
    def form(request):
        return "form"

    return Client(app)


TAG = '"' + hashlib.sha1(b"<p>hello</p>").hexdigest() + '"'


def test_get_has_sha1_etag():
    assert _client().get("/page").headers["ETag"] == TAG


def test_handler_etag_is_kept():
    assert _client().get("/tagged").headers["ETag"] == '"v7"'


def test_matching_if_none_match_gives_304():
    r = _client().get("/page", headers={"If-None-Match": TAG})
    assert r.status_code == 304 and r.body == b""
    assert r.headers["ETag"] == TAG and r.headers["Cache-Control"] == "max-age=60"


def test_other_tag_gives_200():
    r = _client().get("/page", headers={"If-None-Match": '"nope"'})
    assert r.status_code == 200 and r.text == "<p>hello</p>"


def test_list_of_tags():
    r = _client().get("/page", headers={"If-None-Match": f'"a", {TAG}, "b"'})
    assert r.status_code == 304


def test_star_matches():
    assert _client().get("/page", headers={"If-None-Match": "*"}).status_code == 304


def test_weak_tag_matches_weakly():
    assert _client().get("/page", headers={"If-None-Match": "W/" + TAG}).status_code == 304
    assert _client().get("/tagged", headers={"If-None-Match": 'W/"v7"'}).status_code == 304


def test_head_gets_same_etag_and_304():
    c = _client()
    assert c.head("/page").headers["ETag"] == TAG
    assert c.head("/page", headers={"If-None-Match": TAG}).status_code == 304


def test_post_untouched():
    r = _client().post("/form", headers={"If-None-Match": "*"})
    assert r.status_code == 200 and "ETag" not in r.headers


def test_errors_untouched():
    r = _client().get("/missing", headers={"If-None-Match": "*"})
    assert r.status_code == 404 and "ETag" not in r.headers


def test_empty_body_has_no_etag():
    r = _client().get("/empty")
    assert r.status_code == 204 and "ETag" not in r.headers
