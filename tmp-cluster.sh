cd /work/main
DOTENV_CONFIG_QUIET=true DISCORD_PUBLIC_KEY=$(printf 'ab%.0s' {1..32}) PORT=18555 HOST=127.0.0.1 WORKERS=2 DATABASE_PATH=/tmp/cl.sqlite LOG_LEVEL=info timeout 25 node --import tsx src/main.ts 2>&1 &
sleep 12
curl -s localhost:18555/healthz; echo
curl -s localhost:18555/healthz; echo
pkill -HUP -f "src/main.ts" ; sleep 2
pkill -TERM -o -f "node --import tsx src/main.ts"; sleep 3
pgrep -af "src/main.ts" || echo all-gone
