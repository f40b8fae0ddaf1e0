#!/bin/sh
# Registers what the walk-through in README.md needs on the local Latchkey: the example API's scope
# `messages:read` on the default authorization server, the example native app, and a demo user. Safe to
# run again: what exists is kept. It uses the same environment as `npm start` (DATABASE_URL,
# LATCHKEY_SECRET, LATCHKEY_PUBLIC_URL), so run it the way you run the server.
#
#   npm run example:setup                      # demo user alice@example.com, random password printed
#   DEMO_EMAIL=bob@example.com DEMO_PASSWORD='a long passphrase' npm run example:setup
set -eu
cd "$(dirname "$0")/.."

APP_NAME='Latchkey Example CLI'
DEMO_EMAIL="${DEMO_EMAIL:-alice@example.com}"
DEMO_NAME="${DEMO_NAME:-Alice Liddell}"

latchkey() { node packages/server/bin/latchkey.js "$@"; }
# Reads JSON on stdin and prints what the JavaScript expression `$1` makes of it (`data` is the JSON).
json() { node -e "let t='';process.stdin.on('data',c=>t+=c).on('end',()=>{const data=JSON.parse(t);process.stdout.write(String($1??''))})"; }

# 1. The example API's scope (a custom scope must exist before apps may request it).
if output=$(latchkey servers add-scope default --name messages:read \
  --description 'Read your messages in the example API' 2>&1); then
  echo "Added the scope messages:read to the default authorization server."
elif printf '%s' "$output" | grep -q 'already has a scope'; then
  echo "The default authorization server already has the scope messages:read."
else
  printf '%s\n' "$output" >&2
  exit 1
fi

# 2. The native app: public client, PKCE, loopback redirect on any port (RFC 8252), refresh tokens.
client_id=$(latchkey apps list --json | json "data.find((app) => app.client_name === '$APP_NAME')?.client_id")
if [ -n "$client_id" ]; then
  echo "The app '$APP_NAME' is registered already: client id $client_id."
else
  client_id=$(latchkey apps create --name "$APP_NAME" --type native \
    --redirect-uri http://127.0.0.1/callback --grant refresh_token --json | json 'data.client_id')
  echo "Registered the app '$APP_NAME': client id $client_id."
fi

# 3. A demo user. The password goes through stdin, never a flag (shell history, ps).
if latchkey users show "$DEMO_EMAIL" >/dev/null 2>&1; then
  echo "The user $DEMO_EMAIL exists already; its password is unchanged."
else
  password="${DEMO_PASSWORD:-$(node -e "process.stdout.write(require('node:crypto').randomBytes(12).toString('base64url'))")}"
  printf '%s' "$password" | latchkey users create --email "$DEMO_EMAIL" --name "$DEMO_NAME" --password-stdin >/dev/null
  echo "Created the user $DEMO_EMAIL with the password: $password"
fi

cat <<NEXT

Next (with \`npm start\` and \`npm start -w @latchkey/example-api\` running):
  npx latchkey-example login --client-id $client_id
  npx latchkey-example whoami
  npx latchkey-example call
  npx latchkey-example logout
NEXT
