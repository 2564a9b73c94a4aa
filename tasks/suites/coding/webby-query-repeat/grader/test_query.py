from webby import App, Client


def _app():
    app = App()

    @app.get("/search")
    def search(request):
        return {"tags": request.args.getlist("tag"), "first": request.args.get("tag"),
                "q": request.args.get("q"), "keys": list(request.args)}

    @app.post("/form")
    def form(request):
        return {"tags": request.form.getlist("tag")}

    return Client(app)


def test_repeated_keys_keep_every_value_in_order():
    assert _app().get("/search?tag=python&tag=web&tag=api").json()["tags"] == ["python", "web", "api"]


def test_get_gives_the_first_value():
    assert _app().get("/search?tag=python&tag=web").json()["first"] == "python"


def test_blank_values_are_kept():
    assert _app().get("/search?tag=&tag=x").json()["tags"] == ["", "x"]


def test_interleaved_keys():
    body = _app().get("/search?tag=a&q=hi&tag=b").json()
    assert body["tags"] == ["a", "b"] and body["q"] == "hi" and body["keys"] == ["tag", "q"]


def test_percent_encoding():
    assert _app().get("/search?tag=c%2B%2B&tag=a+b").json()["tags"] == ["c++", "a b"]


def test_forms_still_work():
    assert _app().post("/form", data={"tag": ["x", "y"]}).json()["tags"] == ["x", "y"]
