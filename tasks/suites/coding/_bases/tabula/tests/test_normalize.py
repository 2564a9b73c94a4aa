import pytest

from tabula.errors import PipelineError
from tabula.normalize import email, name, normalize_rows, phone, text


def test_text_and_names():
    assert text("  ＡＢＣ\u00a0 corp\n") == "ABC corp" and text("   ") is None and text(None) is None
    assert name("Acme, Inc.") == name("ACME inc") == name("acme") == "acme"
    assert name("Müller GmbH") == "muller" and name("Holding Co Ltd") == "holding"


@pytest.mark.parametrize(("raw", "want"), [
    ("  Ada@Example.COM ", "ada@example.com"), ("mailto:bo@x.io", "bo@x.io"), ("<cy@x.io>", "cy@x.io"),
    ("not-an-email", None), ("a@b", None)])
def test_email(raw, want):
    assert email(raw) == want


@pytest.mark.parametrize(("raw", "want"), [
    ("(555) 010-2000", "+15550102000"), ("+44 20 7946 0018", "+442079460018"), ("0044 20 7946 0018", "+442079460018"),
    ("555-010-2000 ext. 12", "+15550102000"), ("12", None), ("+1234567890123456", None)])
def test_phone(raw, want):
    assert phone(raw) == want


def test_normalize_rows():
    rows = [{"email": "A@X.IO", "name": "Acme Ltd", "n": 1}, {"email": None, "name": " acme ", "n": 2}]
    out = normalize_rows(rows, {"email": "email", "name": "name", "missing": "text"})
    assert out == [{"email": "a@x.io", "name": "acme", "n": 1}, {"email": None, "name": "acme", "n": 2}]
    assert rows[0]["email"] == "A@X.IO", "the input rows are not changed"
    with pytest.raises(PipelineError, match="unknown kind"):
        normalize_rows(rows, {"email": "mail"})
