import pytest

from webby.templates import Template, TemplateError


def test_escapes_values():
    assert Template("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_filters_and_loops():
    t = Template("{% for n in names %}{{ n | upper }},{% endfor %}")
    assert t.render(names=["a", "b"]) == "A,B,"


def test_if_else():
    t = Template("{% if user %}hi {{ user.name }}{% else %}anon{% endif %}")
    assert t.render(user={"name": "Ann"}) == "hi Ann"
    assert t.render() == "anon"


def test_unclosed_block():
    with pytest.raises(TemplateError):
        Template("{% if x %}")
