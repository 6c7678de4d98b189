#!/usr/bin/env bash
# Installs the Debian packages layout needs, if any are missing. Safe to run twice.
# As root it runs apt-get (one update, then install); otherwise it prints the exact
# command to run and exits 1.
set -euo pipefail

# ghostscript: its CMYK output profile for PDF/X (default_cmyk.icc) and the inkcov test.
# calibre: a real reading system's converter (ebook-convert), which the EPUB tests run.
packages=(fonts-noto-cjk fonts-lxgw-wenkai fonts-arphic-ukai libharfbuzz-subset0 libpango-1.0-0
          libpangoft2-1.0-0 poppler-utils fontconfig python3-venv ghostscript calibre)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# python3-venv is only needed where the interpreter cannot make a venv by itself.
if [ "${#missing[@]}" -gt 0 ] && python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
  read -r -a missing <<< "${missing[*]}"
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "layout needs these Debian packages: ${missing[*]}" >&2
  echo "run as root:  $line" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
