#!/usr/bin/env bash
# Install the Debian tools the file-format tests need.  Idempotent, non-interactive.
#
#   LibreOffice Writer (headless, no GUI) and Noto CJK fonts: tests/test_file_formats.py prints
#   the DOCX it writes to PDF with `soffice --headless --convert-to pdf`, as a unit's clerk would,
#   and reads the PDF back; without a CJK font the PDF would carry no Chinese text.
#   Skipped if soffice is already on PATH.
#
#   Chromium and its WebDriver (chromium-driver): tests/test_serve_browser.py drives the site
#   `jixiao serve` serves in a real headless browser through selenium and saves screenshots.
#   Skipped if chromium and chromedriver are already on PATH.
#
# usage: scripts/install-test-tools.sh
# env:   SKIP_LIBREOFFICE=1  do not install LibreOffice (the PDF tests then skip, or fail under CI=true)
#        SKIP_CHROMIUM=1     do not install Chromium (the browser test then skips, or fails under CI=true)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo -E"; fi

install_libreoffice() {
  if command -v soffice >/dev/null; then
    echo "soffice already installed: $(command -v soffice)"
    return 0
  fi
  if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
    echo "need root (or sudo) to apt-get install libreoffice-writer-nogui" >&2
    return 1
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk >/dev/null
  command -v soffice >/dev/null
  echo "installed soffice: $(command -v soffice)"
}

install_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    echo "chromium already installed: $(command -v chromium), $(command -v chromedriver)"
    return 0
  fi
  if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
    echo "need root (or sudo) to apt-get install chromium chromium-driver" >&2
    return 1
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
  command -v chromium >/dev/null && command -v chromedriver >/dev/null
  echo "installed chromium: $(command -v chromium), $(command -v chromedriver)"
}

[ "${SKIP_LIBREOFFICE:-}" = 1 ] || install_libreoffice
[ "${SKIP_CHROMIUM:-}" = 1 ] || install_chromium
