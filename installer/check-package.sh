#!/usr/bin/env bash
# Installs the Debian package built by `make package` with apt-get, checks the installed
# programs, sample experiment and desktop metadata, then removes the package again.
# Needs root or sudo. Run from the source folder: bash installer/check-package.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="${BUILD_DIR:-build/release}"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)

shopt -s nullglob
debs=("$build_dir"/densito_*_amd64.deb)
[[ ${#debs[@]} -eq 1 ]] || { echo "check-package: expected one densito_*_amd64.deb in $build_dir" >&2; exit 1; }
deb="$(realpath "${debs[0]}")"
out="$(mktemp -d)"
cleanup() {
    rm -rf "$out"
    if dpkg-query -W densito >/dev/null 2>&1; then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq densito >/dev/null || true
    fi
}
trap cleanup EXIT

echo "check-package: installing $deb"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"

/usr/bin/densito-cli --version
/usr/bin/densito --version # no display needed
samples=/usr/share/densito/sample_blots/experiment
/usr/bin/densito-cli -q analyze "$samples" --out "$out/results" --no-overlays \
    --blots "$samples/blots.csv" --samples "$samples/samples.csv" >/dev/null
for file in lanes.csv bands.csv quantification.csv summary.csv fold_change_wide.csv run.json; do
    [[ -s "$out/results/$file" ]] || { echo "check-package: $file missing" >&2; exit 1; }
done
desktop-file-validate /usr/share/applications/densito.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.densito.Densito.metainfo.xml
[[ -f /usr/share/man/man1/densito-cli.1.gz ]]
# The project file type is known to the MIME database (double-click opens projects).
[[ -f /usr/share/mime/application/x-densito-project.xml ]]
grep -q 'MimeType=application/x-densito-project;' /usr/share/applications/densito.desktop
for size in 16 32 48 64 128 256; do
    [[ -f /usr/share/icons/hicolor/${size}x${size}/apps/densito.png ]]
done
echo "check-package: installed package works; removing it"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq densito >/dev/null
[[ ! -e /usr/bin/densito-cli ]] || { echo "check-package: densito-cli left behind" >&2; exit 1; }
echo "check-package: removed"
