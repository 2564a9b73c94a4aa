from textkit import slugify, snake_case


def test_basic():
    assert slugify("Hello World") == "hello-world"


def test_accents():
    assert slugify("Crème Brûlée") == "creme-brulee"


def test_runs_collapse():
    assert slugify("a  --  b!!c") == "a-b-c"


def test_no_edge_separators():
    assert slugify("  ...Hello, World!  ") == "hello-world"


def test_custom_sep():
    assert slugify("Rate Limiter v2", sep="_") == "rate_limiter_v2"


def test_nothing_usable():
    assert slugify("!!! ???") == ""


def test_existing_api_kept():
    assert snake_case("HelloWorld") == "hello_world"
