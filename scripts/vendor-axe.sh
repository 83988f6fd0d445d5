#!/bin/sh
# vendor-axe.sh vendors the pinned axe-core accessibility engine into
# server/testdata/axe/ for the browser tests (server/browser_helpers_test.go), with its
# version, SHA-256 sums and licence in VERSIONS. It is test data only: the app never
# serves it, and building, running or testing tinhso needs no Node.js; only this
# script needs npm and the network.
#
#   scripts/vendor-axe.sh                      # fetch the pinned version
#   AXE_VERSION=4.14.1 scripts/vendor-axe.sh
set -eu

AXE_VERSION="${AXE_VERSION:-4.14.1}"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/server/testdata/axe"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$dest"
(
	cd "$tmp"
	npm pack --silent "axe-core@$AXE_VERSION" >/dev/null
	tar -xzf "axe-core-$AXE_VERSION.tgz"
)
cp "$tmp/package/axe.min.js" "$dest/axe.min.js"
cp "$tmp/package/LICENSE" "$dest/LICENSE"

tarsum="$(sha256sum "$tmp/axe-core-$AXE_VERSION.tgz" | cut -d' ' -f1)"
{
	echo "# axe-core for the browser tests only (never served): written by scripts/vendor-axe.sh; do not edit."
	echo "# Licence: MPL-2.0 (Mozilla Public License 2.0, see LICENSE); vendored unmodified."
	echo "# name version package"
	echo "axe-core $AXE_VERSION npm:axe-core@$AXE_VERSION sha256:$tarsum"
	echo "# sha256 file"
	cd "$dest"
	sha256sum axe.min.js LICENSE
} >"$dest/VERSIONS"
echo "vendored axe-core $AXE_VERSION into $dest"
