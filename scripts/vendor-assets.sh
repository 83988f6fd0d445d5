#!/bin/sh
# vendor-assets.sh re-vendors the pinned browser libraries the web pages embed into
# web/assets/vendor/, with their versions and SHA-256 sums in VERSIONS. Only this
# script needs Node.js (npm) and the network; building and running tinhso need neither.
#
#   scripts/vendor-assets.sh            # fetch the pinned versions
#   UPLOT_VERSION=1.6.32 scripts/vendor-assets.sh
set -eu

UPLOT_VERSION="${UPLOT_VERSION:-1.6.32}"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/web/assets/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$dest"
(
	cd "$tmp"
	npm pack --silent "uplot@$UPLOT_VERSION" >/dev/null
	tar -xzf "uplot-$UPLOT_VERSION.tgz"
)
cp "$tmp/package/dist/uPlot.iife.min.js" "$dest/uPlot.iife.min.js"
cp "$tmp/package/dist/uPlot.min.css" "$dest/uPlot.min.css"
cp "$tmp/package/LICENSE" "$dest/uPlot.LICENSE"

tarsum="$(sha256sum "$tmp/uplot-$UPLOT_VERSION.tgz" | cut -d' ' -f1)"
{
	echo "# Vendored browser libraries: written by scripts/vendor-assets.sh; do not edit."
	echo "# name version source"
	echo "uplot $UPLOT_VERSION https://registry.npmjs.org/uplot/-/uplot-$UPLOT_VERSION.tgz sha256:$tarsum"
	echo "# sha256 file"
	cd "$dest"
	sha256sum uPlot.iife.min.js uPlot.min.css uPlot.LICENSE
} >"$dest/VERSIONS"
echo "vendored uPlot $UPLOT_VERSION into $dest"
