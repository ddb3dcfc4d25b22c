#!/usr/bin/env bash
# Installs the Debian packages ccops needs outside Python, when they are missing and we can:
#   chromium        headless browser for the browser tests and chart/PDF export (kaleido)
#   fonts-noto-cjk  so Hangul renders in the browser, chart images and PDFs
#   a JRE (17)      for the PySpark parity tests
# Safe to run repeatedly; does nothing when everything is present.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "system-deps: missing ${need[*]} and not root; install them with apt-get (browser/spark tests will skip)" >&2
    exit 0
  fi
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null || {
  echo "system-deps: apt-get install failed for ${need[*]}" >&2; exit 1; }
fc-cache -f >/dev/null 2>&1 || true
