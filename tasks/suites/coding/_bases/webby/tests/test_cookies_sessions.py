from datetime import datetime, timezone

import pytest

from webby import App, Client
from webby.cookies import BadSignature, Cookie, delete_cookie, parse_cookie_header, sign, unsign
from webby.sessions import SessionMiddleware

SECRET = "correct horse battery staple"


def test_cookie_header_has_every_attribute():
    c = Cookie("sid", "abc", max_age=60, expires=datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
               domain="example.com", secure=True, same_site="Strict")
    assert c.header_value() == ("sid=abc; Max-Age=60; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Domain=example.com; "
                                "Path=/; Secure; HttpOnly; SameSite=Strict")


def test_same_site_none_forces_secure_and_bad_values_are_refused():
    assert "Secure" in Cookie("a", "1", same_site="None").header_value()
    with pytest.raises(ValueError):
        Cookie("a", "x;y").header_value()
    with pytest.raises(ValueError):
        Cookie("a b", "1").header_value()
    assert "Max-Age=0" in delete_cookie("sid").header_value()


def test_parse_cookie_header_tolerates_junk():
    assert parse_cookie_header('a=1; junk; b="two"; a=3; =x') == {"a": "1", "b": "two"}


def test_sign_round_trip_and_tampering():
    signed = sign("user=ada", SECRET, now=1_000_000)
    assert unsign(signed, SECRET, now=1_000_010) == "user=ada"
    with pytest.raises(BadSignature):
        unsign(signed, "another secret entirely", now=1_000_010)
    payload, stamp, mac = signed.split(".")
    with pytest.raises(BadSignature):
        unsign(f"{payload}x.{stamp}.{mac}", SECRET)
    with pytest.raises(BadSignature, match="expired"):
        unsign(signed, SECRET, max_age=5, now=1_000_010)


def make_app():
    app = App()
    app.use(SessionMiddleware(SECRET))

    @app.post("/login")
    def login(request):
        request.state["session"]["user"] = request.form.get("user")
        return "ok"

    @app.get("/me")
    def me(request):
        return {"user": request.state["session"].get("user")}

    @app.post("/logout")
    def logout(request):
        request.state["session"].clear()
        return "bye"

    return app


def test_session_survives_requests_and_is_cleared():
    c = Client(make_app())
    assert c.get("/me").json() == {"user": None}
    c.post("/login", data={"user": "ada"})
    assert c.get("/me").json() == {"user": "ada"}
    r = c.post("/logout")
    assert "Max-Age=0" in r.headers["Set-Cookie"]


def test_unchanged_session_sends_no_cookie_and_forgery_is_ignored():
    c = Client(make_app())
    assert "Set-Cookie" not in c.get("/me").headers
    c.cookies["session"] = sign('{"user":"root"}', "not the app's secret!!")
    assert c.get("/me").json() == {"user": None}


def test_short_secret_is_refused():
    with pytest.raises(ValueError):
        SessionMiddleware("short")
