wc -l < /app/data/a.txt | tr -d ' ' > /app/count.txt
