from webby import App, Client


def _client(order):
    app = App()
    handlers = {}

    def user(request, name):
        return f"user {name}"

    def me(request):
        return "me"

    def raw(request, name):
        return f"raw {name}"

    def anyfile(request, p):
        return f"file {p}"

    handlers = {"/users/<name>": user, "/users/me": me, "/files/<name>/raw": raw, "/files/<path:p>": anyfile}
    for pattern in order:
        app.router.add(pattern, handlers[pattern])
    return Client(app)


def test_literal_route_wins_when_registered_last():
    assert _client(["/users/<name>", "/users/me"]).get("/users/me").text == "me"


def test_literal_route_wins_when_registered_first():
    assert _client(["/users/me", "/users/<name>"]).get("/users/me").text == "me"


def test_generic_route_still_answers_others():
    assert _client(["/users/<name>", "/users/me"]).get("/users/ann").text == "user ann"


def test_catch_all_path_loses_to_more_literal_route():
    c = _client(["/files/<path:p>", "/files/<name>/raw"])
    assert c.get("/files/a/raw").text == "raw a"
    assert c.get("/files/a/b/c").text == "file a/b/c"


def test_equal_specificity_first_registered_wins():
    app = App()
    app.router.add("/x/<a>", lambda request, a: "first")
    app.router.add("/x/<b>", lambda request, b: "second")
    assert Client(app).get("/x/1").text == "first"


def test_wrong_method_is_405_with_allow():
    app = App()

    @app.get("/posts/<int:i>")
    def show(request, i):
        return "post"

    r = Client(app).delete("/posts/1")
    assert r.status_code == 405
    allowed = {m.strip() for m in r.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD"}


def test_allow_lists_methods_of_every_matching_route():
    app = App()
    app.route("/a", methods=["GET"])(lambda request: "g")
    app.route("/a", methods=["PUT"], name="put")(lambda request: "p")
    r = Client(app).post("/a")
    assert r.status_code == 405 and {m.strip() for m in r.headers["Allow"].split(",")} == {"GET", "HEAD", "PUT"}


def test_unknown_path_is_still_404():
    app = App()
    app.get("/a")(lambda request: "a")
    assert Client(app).delete("/nope").status_code == 404
