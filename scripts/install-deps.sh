#!/usr/bin/env bash
# Installs what WsLab needs to build, test and run on Debian 12, and nothing when all is present.
# Runs as root, or through sudo when a normal user calls it.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
  qt6-base-dev qt6-websockets-dev libgl-dev libssl-dev zlib1g-dev
  qt6-qpa-plugins
  python3 python3-websockets nodejs node-ws
  xvfb xauth
  chromium
  libqrcodegencpp-dev libzxing-dev
  iproute2
  # The package test checks the .desktop file and the AppStream metainfo with their validators, and the
  # session MIME type with xmllint and update-mime-database.
  desktop-file-utils appstream libxml2-utils shared-mime-info
)
# npm comes with some nodejs builds (NodeSource's); Debian's own nodejs needs the npm package.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

# The browser test drives Debian's chromium with playwright-core, pinned in tests/browser/package-lock.json.
# Never a downloaded browser: playwright-core has none, and the skip flag covers any that would try.
install_browser_test_deps() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  # Nothing to do when the installed version is the pinned one.
  if node -e 'const d = process.argv[1]; process.exit(require(d + "/node_modules/playwright-core/package.json").version
      === require(d + "/package.json").devDependencies["playwright-core"] ? 0 : 1)' "$dir" 2>/dev/null; then
    return
  fi
  echo "install-deps: npm ci in $dir" >&2
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  install_browser_test_deps
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_browser_test_deps
