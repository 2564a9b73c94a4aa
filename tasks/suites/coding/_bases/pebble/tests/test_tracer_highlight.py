from pebble.highlight import to_ansi, to_html, tokens
from pebble.tracer import Tracer

SRC = """let fact = fn(n) {
    if n < 2 { return 1; }
    return n * fact(n - 1);
};
print(fact(5));
"""


def test_tracer_counts_lines_and_depth():
    out = []
    t = Tracer(output=out.append)
    t.run(SRC)
    assert out == ["120"]
    assert t.counts[2] == 6 and t.counts[3] == 4 and t.counts[5] == 1
    assert t.hot_lines(1) == [(2, 6)] and t.max_depth() == 5
    listing = t.listing(SRC).splitlines()
    assert listing[1] == "6 |     if n < 2 { return 1; }" and listing[3] == "- | };"


def test_tracer_caps_its_events():
    t = Tracer(output=lambda s: None, max_events=10)
    t.run("let i = 0; while i < 100 { i = i + 1; }")
    assert len(t.events) == 10 and t.dropped > 0 and t.counts[1] == 102


def test_highlighting_covers_the_source_exactly():
    src = 'let s = "a \\"q\\"" # note\nprint(s, 1.5 ** 2);'
    assert "".join(text for _, text in tokens(src)) == src
    kinds = [k for k, _ in tokens(src) if k != "other"]
    assert kinds[:5] == ["kw", "name", "op", "str", "comment"]
    ansi = to_ansi(src)
    assert "\x1b[1;34mlet\x1b[0m" in ansi and "\x1b[33m1.5\x1b[0m" in ansi
    page = to_html('print("<b>");')
    assert page == '<pre class="pebble">print(<span class="pb-str">&quot;&lt;b&gt;&quot;</span>);</pre>'
