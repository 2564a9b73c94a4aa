python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:8080/').read())" && echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt
