import ast
from pathlib import Path

import webby
from webby import App, Client, HTTPError
from webby.forms import Field, Form
from webby.html import Markup, escape
from webby.templates import Template

PKG = Path(webby.__file__).parent
NASTY = "<a href=\"x\" title='y'>&amp;</a>"


class F(Form):
    name = Field("Name <required>")


def test_form_value_cannot_break_out_of_attribute():
    html = F({"name": 'x" onfocus="alert(1)'}).render_field("name")
    assert 'value="x&quot; onfocus=&quot;alert(1)"' in html


def test_form_renders_as_before():
    f = F({"name": ""})
    f.validate()
    assert f.render_field("name") == (
        '<label for="name">Name &lt;required&gt;</label><input type="text" id="name" name="name" value="">'
        '<span class="error">Name &lt;required&gt; is required</span>')


def test_template_escapes_like_html_escape():
    assert Template("{{ x }}").render(x=NASTY) == escape(NASTY)


def test_template_safe_and_markup_not_double_escaped():
    assert Template("{{ x }}").render(x=Markup("<b>ok</b>")) == "<b>ok</b>"
    assert Template("{{ x | safe }}").render(x="<i>") == "<i>"


def test_error_page_escapes_everything():
    app = App()

    @app.get("/boom")
    def boom(request):
        raise HTTPError(400, NASTY)

    body = Client(app).get("/boom").text
    assert escape(NASTY) in body and NASTY not in body


def test_html_escape_itself_unchanged():
    assert escape(NASTY) == "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;amp;&lt;/a&gt;"
    assert escape(None) == ""


def test_one_implementation_only():
    """No module but webby/html.py may define its own escaping or spell out entities."""
    offenders = []
    for path in PKG.rglob("*.py"):
        if path.name == "html.py":
            continue
        src = path.read_text()
        tree = ast.parse(src)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and "escape" in getattr(node, "name", ""):
                offenders.append(f"{path.name}: def {node.name}")
            if isinstance(node, ast.Import) and any(a.name == "html" for a in node.names):
                offenders.append(f"{path.name}: imports the stdlib html module")
        if "&lt;" in src or "&quot;" in src:
            offenders.append(f"{path.name}: spells out HTML entities")
    assert not offenders, offenders
