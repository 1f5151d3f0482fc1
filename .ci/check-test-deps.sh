#!/usr/bin/env bash
# Proves the first step of `npm test` (scripts/test-deps.mjs) on a machine with no browser,
# without touching this one: PATH holds only node (plus a stub apt-get where a case needs one),
# PLAYWRIGHT_BROWSERS_PATH is an empty folder and CHROMIUM_PATH is unset.
#   1. not root, no apt-get, downloads refused  -> exit 1, one line naming `npx playwright install chromium`
#   2. not root, apt-get, no sudo               -> exit 1, one line naming `as root: apt-get ... chromium`
#   3. not root, no apt-get, downloads allowed, but the download fails (a stub npx)
#                                               -> exit 1, one line saying it downloads, one naming the command
#   4. root, apt-get (a stub that "installs")   -> exit 0, one line saying it installs chromium
# Cases 1 to 3 run as user nobody, case 4 only when this script runs as root.
set -uo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/home" "$tmp/browsers" "$tmp/bin-node" "$tmp/bin-apt" "$tmp/bin-npx"
chmod 777 "$tmp/home"
node="$(command -v node)"
ln -s "$node" "$tmp/bin-node/node"
ln -s "$node" "$tmp/bin-apt/node"
ln -s "$node" "$tmp/bin-npx/node"
printf '#!/bin/sh\nexit 1\n' > "$tmp/bin-npx/npx"
chmod 755 "$tmp/bin-npx/npx"
# The stub apt-get: `install` leaves an executable `chromium` next to itself.
cat > "$tmp/bin-apt/apt-get" <<EOF
#!/bin/sh
echo "\$*" >> "$tmp/apt.log"
case "\$1" in install) printf '#!/bin/sh\necho Chromium 0\n' > "$tmp/bin-apt/chromium"; /bin/chmod 755 "$tmp/bin-apt/chromium" ;; esac
EOF
chmod 755 "$tmp/bin-apt/apt-get"

failures=0
# check NAME EXPECTED_CODE EXPECTED_LINES EXPECTED_TEXT AS_NOBODY PATH [ENV=VALUE...]
check() {
  local name="$1" want_code="$2" want_lines="$3" want_text="$4" nobody="$5" path="$6"
  shift 6
  local -a cmd=(env -i "PATH=$path" "HOME=$tmp/home" "PLAYWRIGHT_BROWSERS_PATH=$tmp/browsers" "$@" node scripts/test-deps.mjs)
  if [ "$nobody" = yes ] && [ "$(id -u)" = 0 ]; then cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups "${cmd[@]}"); fi
  local out code lines
  out="$("${cmd[@]}" 2>&1)"
  code=$?
  lines="$(printf '%s\n' "$out" | grep -c .)"
  echo "$name -> exit $code: $out"
  if [ "$code" != "$want_code" ] || [ "$lines" != "$want_lines" ] || ! tail -n 1 <<<"$out" | grep -qF -- "$want_text" || grep -qE '^\s+at ' <<<"$out"; then
    echo "  FAILED: wanted exit $want_code and $want_lines line(s), the last containing: $want_text"
    failures=$((failures + 1))
  fi
}

check "no apt-get, not root, downloads refused" 1 1 'Run `npx playwright install chromium`,' yes "$tmp/bin-node" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
check "apt-get, not root, no sudo" 1 1 'Run as root `apt-get update && apt-get install -y chromium`,' yes "$tmp/bin-apt"
check "no apt-get, not root, download fails" 1 2 'Playwright could not download Chromium. Run `npx playwright install chromium` where downloads are allowed' yes "$tmp/bin-npx"
if [ "$(id -u)" = 0 ]; then
  check "apt-get, root" 0 1 'installing chromium with apt-get' no "$tmp/bin-apt"
  if [ "$(tr '\n' '|' < "$tmp/apt.log")" != "update -qq|install -y -qq chromium|" ]; then
    echo "  FAILED: apt-get was called with: $(tr '\n' '|' < "$tmp/apt.log")"
    failures=$((failures + 1))
  fi
else
  echo "apt-get, root -> not checked (this check is not running as root)"
fi

if [ "$failures" -gt 0 ]; then
  echo "check-test-deps: $failures case(s) failed"
  exit 1
fi
echo "check-test-deps: every case installs a browser or stops with the one-line instruction"
