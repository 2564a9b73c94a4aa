cat > /app/greet.py <<'EOF'
print("Hello, World!")
EOF
