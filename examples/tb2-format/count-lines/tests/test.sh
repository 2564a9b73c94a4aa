if [ "$(cat /app/count.txt 2>/dev/null)" = "3" ]; then r=1.0; else r=0.0; fi
echo "{\"reward\": $r}" > /logs/verifier/reward.json
exit 1
