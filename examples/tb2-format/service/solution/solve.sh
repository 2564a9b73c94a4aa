cd /app/site && (setsid nohup python3 -m http.server 8080 >/dev/null 2>&1 &) ; sleep 1
