import pytest

from webby import App, Client
from webby.cors import CORS
from webby.negotiation import best_match, negotiate, parse_accept
from webby.pagination import Page
from webby.validation import Boolean, Choice, Email, Integer, ListOf, Schema, String, ValidationError, validated


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    ("application/json", ["text/html", "application/json"], "application/json"),
    ("text/*;q=0.5, application/json;q=0.4", ["application/json", "text/html"], "text/html"),
    ("text/*, text/html;q=0", ["text/html", "text/plain"], "text/plain"),
    ("image/png", ["text/html"], None),
    (None, ["text/html", "application/json"], "text/html"),
    ("*/*", ["application/json", "text/html"], "application/json"),
    ("text/html;level=1, text/html;q=0.1", ["text/html;level=1"], "text/html;level=1"),
])
def test_best_match(accept, offered, expected):
    assert best_match(accept, offered) == expected


def test_parse_accept_skips_malformed_ranges():
    ranges = parse_accept("text/html;q=abc, */json, application/json;q=0.9, bogus")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("application", "json", 0.9)]


def test_negotiate_raises_406():
    app = App()

    @app.get("/report")
    def report(request):
        kind = negotiate(request, ["application/json", "text/csv"])
        return {"kind": kind} if kind == "application/json" else "a,b\n"

    c = Client(app)
    assert c.get("/report", headers={"Accept": "application/json"}).json() == {"kind": "application/json"}
    assert c.get("/report", headers={"Accept": "image/png"}).status_code == 406


def cors_app(**kw):
    app = App()
    app.use(CORS(**kw))

    @app.get("/data")
    def data(request):
        return {"ok": True}

    return Client(app)


def test_cors_simple_and_preflight():
    c = cors_app(origins=["https://app.example.com"], methods=["GET", "PUT"], headers=["X-Token"],
                 allow_credentials=True)
    r = c.get("/data", headers={"Origin": "https://app.example.com"})
    assert r.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert r.headers["Access-Control-Allow-Credentials"] == "true" and "Origin" in r.headers["Vary"]
    r = c.request("OPTIONS", "/data", headers={"Origin": "https://app.example.com",
                                               "Access-Control-Request-Method": "PUT",
                                               "Access-Control-Request-Headers": "X-Token, Content-Type"})
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert r.headers["Access-Control-Allow-Headers"] == "x-token, content-type"


def test_cors_refuses_unknown_origins_methods_and_headers():
    c = cors_app(origins=["https://app.example.com"])
    assert "Access-Control-Allow-Origin" not in c.get("/data", headers={"Origin": "https://evil.test"}).headers
    r = c.request("OPTIONS", "/data", headers={"Origin": "https://app.example.com",
                                               "Access-Control-Request-Method": "DELETE"})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = c.request("OPTIONS", "/data", headers={"Origin": "https://app.example.com",
                                               "Access-Control-Request-Method": "GET",
                                               "Access-Control-Request-Headers": "X-Secret"})
    assert "Access-Control-Allow-Origin" not in r.headers
    with pytest.raises(ValueError):
        CORS(origins="*", allow_credentials=True)


class NewUser(Schema):
    name = String(min_length=1, max_length=20)
    email = Email()
    age = Integer(minimum=13, required=False)
    role = Choice(["reader", "editor"], default="reader")
    tags = ListOf(String(min_length=1), max_items=3, default=list)
    active = Boolean(default=True)


def test_schema_cleans_and_reports_every_error():
    assert NewUser.validate({"name": " Ada ", "email": "ada@Example.COM", "age": "36"}) == {
        "name": "Ada", "email": "ada@example.com", "age": 36, "role": "reader", "tags": [], "active": True}
    with pytest.raises(ValidationError) as exc:
        NewUser.validate({"name": "", "email": "nope", "age": True, "role": "admin", "tags": ["a", ""], "x": 1})
    assert exc.value.errors == {
        "name": "is required", "email": "has the wrong format", "age": "must be a whole number",
        "role": "must be one of reader, editor", "tags": "item 2 is required", "x": "is not a known field"}


def test_validated_handler_gets_clean_data_and_patch_is_partial():
    app = App()

    @app.route("/users", methods=["POST", "PATCH"])
    @validated(NewUser)
    def create(request, data):
        return data

    c = Client(app)
    assert c.post("/users", json={"name": "Bo", "email": "bo@x.io"}).json()["role"] == "reader"
    r = c.post("/users", json={"name": "Bo"})
    assert r.status_code == 422 and r.json()["errors"] == {"email": "is required"}
    assert c.request("PATCH", "/users", json={"age": 40}).json() == {"age": 40, "role": "reader", "tags": [],
                                                                     "active": True}
    assert c.post("/users", data={"name": "x"}).status_code == 415


def test_pagination_clamps_and_links():
    app = App()

    @app.get("/items")
    def items(request):
        page = Page.from_request(request, maximum=50)
        everything = list(range(95))
        return page.response(page.slice(everything), len(everything), request)

    c = Client(app)
    r = c.get("/items?page=2&per_page=20&q=x")
    assert r.json()["items"] == list(range(20, 40)) and r.json()["pages"] == 5
    assert r.headers["X-Total-Count"] == "95"
    links = r.headers["Link"]
    assert '</items?q=x&page=1&per_page=20>; rel="first"' in links and 'page=3&per_page=20>; rel="next"' in links
    r = c.get("/items?page=0&per_page=1000")
    assert r.json()["page"] == 1 and r.json()["per_page"] == 50 and 'rel="prev"' not in r.headers["Link"]
    assert c.get("/items?page=9").json()["items"] == []
