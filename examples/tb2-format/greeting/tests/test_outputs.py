import subprocess, sys


def test_greeting():
    out = subprocess.run([sys.executable, '/app/greet.py'], capture_output=True, text=True)
    assert out.stdout == 'Hello, World!\n'
