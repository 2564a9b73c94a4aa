import io

import pytest

from webby import App, Request
from webby.errors import HTTPError
from webby.multipart import encode_multipart, header_params, parse_body, parse_multipart, safe_filename


def request_with(body: bytes, ctype: str) -> Request:
    return Request({"REQUEST_METHOD": "POST", "CONTENT_TYPE": ctype, "CONTENT_LENGTH": str(len(body)),
                    "wsgi.input": io.BytesIO(body)})


def test_fields_and_files():
    body, ctype = encode_multipart({"caption": "café", "tag": "x"},
                                   {"avatar": ("../../etc/me.png", b"\x89PNG\r\n\x00data", "image/png")})
    form = parse_multipart(request_with(body, ctype))
    assert form.fields.to_dict() == {"caption": "café", "tag": "x"}
    f = form.files["avatar"]
    assert (f.filename, f.content_type, f.data, f.size) == ("me.png", "image/png", b"\x89PNG\r\n\x00data", 11)


def test_empty_file_input_is_skipped_and_limits_hold():
    body, _ = encode_multipart({}, {"doc": ("", b"", "application/octet-stream")})
    assert parse_body(body, "webbyboundary7MA4YWxk").files == {}
    big, _ = encode_multipart({}, {"doc": ("a.bin", b"x" * 11, "application/octet-stream")})
    with pytest.raises(HTTPError) as exc:
        parse_body(big, "webbyboundary7MA4YWxk", max_file_bytes=10)
    assert exc.value.status == 413
    many, _ = encode_multipart({f"f{i}": "v" for i in range(5)}, {})
    with pytest.raises(HTTPError):
        parse_body(many, "webbyboundary7MA4YWxk", max_parts=4)


@pytest.mark.parametrize(("body", "status"), [
    (b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n", 400),  # never terminated
    (b"--b\r\nno headers here--b--\r\n", 400),
    (b"--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--\r\n", 400),
])
def test_malformed_bodies(body, status):
    with pytest.raises(HTTPError) as exc:
        parse_body(body, "b")
    assert exc.value.status == status


def test_content_type_checks():
    with pytest.raises(HTTPError) as exc:
        parse_multipart(request_with(b"{}", "application/json"))
    assert exc.value.status == 415
    with pytest.raises(HTTPError):
        parse_multipart(request_with(b"", "multipart/form-data"))


def test_helpers():
    assert header_params('form-data; name="a\\"b"; filename=plain.txt') == (
        "form-data", {"name": 'a"b', "filename": "plain.txt"})
    assert safe_filename("C:\\Users\\me\\..\\report (1).pdf") == "report _1_.pdf"
    assert safe_filename("...") == "upload" and safe_filename("a/b/<x>.txt") == "_x_.txt"


def test_upload_through_the_app(tmp_path):
    app = App()

    @app.post("/upload")
    def upload(request):
        form = parse_multipart(request)
        saved = form.files["doc"].save(tmp_path)
        return {"saved": saved, "note": form.fields.get("note")}

    body, ctype = encode_multipart({"note": "hi"}, {"doc": ("notes.txt", b"hello", "text/plain")})
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/upload", "CONTENT_TYPE": ctype,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    seen = {}
    chunks = app(environ, lambda status, headers: seen.update(status=status))
    assert seen["status"].startswith("200")
    assert b'"note": "hi"' in b"".join(chunks) and (tmp_path / "notes.txt").read_bytes() == b"hello"
