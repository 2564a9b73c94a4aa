from examples.blog import app
from webby import App, Client


def test_index_and_show():
    c = Client(app)
    assert "Hello" in c.get("/").text
    r = c.get("/posts/1")
    assert r.status_code == 200 and "First post" in r.text
    assert r.headers["X-Frame-Options"] == "DENY"


def test_missing_post_is_404():
    assert Client(app).get("/posts/999").status_code == 404


def test_create_validates():
    r = Client(app).post("/posts", data={"title": ""})
    assert r.status_code == 422 and "Title is required" in r.json()["errors"]["title"]


def test_json_roundtrip():
    a = App()

    @a.post("/echo")
    def echo(request):
        return {"got": request.json}

    assert Client(a).post("/echo", json={"x": 1}).json() == {"got": {"x": 1}}


def test_head_has_no_body():
    r = Client(app).head("/posts/1")
    assert r.status_code == 200 and r.body == b"" and int(r.headers["Content-Length"]) > 0


def test_static_file():
    r = Client(app).get("/static/webby.js")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert Client(app).get("/static/../app.py").status_code == 404
