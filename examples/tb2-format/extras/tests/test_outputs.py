import tomllib
import tomli_w


def test_answer():
    expected = tomllib.load(open('/app/expected.toml', 'rb'))
    assert int(open('/app/answer.txt').read()) == expected['answer']
    assert tomli_w.dumps(expected) == 'answer = 42\n'
