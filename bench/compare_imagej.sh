#!/usr/bin/env bash
# Densito beside ImageJ on a realistic blot, whole processes, on this machine:
#   - one 4000x3000 16-bit uncompressed TIFF (densito-cli synth, realistic profile, 10 lanes,
#     3 band rows): `densito-cli analyze` vs ImageJ (open + Subtract Background rolling=50),
#     vs a bare libtiff decode of the same file in a process linked like densito-cli
#     (densito_decode_floor); median of RUNS runs, peak RSS of each;
#   - a batch of BATCH such images: one `densito-cli analyze` call (1 thread, then all cores)
#     vs one ImageJ JVM running a macro loop over the folder, vs the decode floor;
#   - startup: `densito-cli --version` and the shared libraries it loads.
# ImageJ (Debian package `imagej`, not a Densito dependency) is skipped when absent; it needs
# a display, so an Xvfb server is started for it when DISPLAY is unset (package xvfb).
# Prints figures only; not a test.
#
#   bench/compare_imagej.sh [BUILD_DIR]      (default build/release)
# Environment: RUNS (5), BATCH (50), BATCH_RUNS (3), WORK (a new temporary folder, removed),
#   BACKGROUND (rolling-ball:50, ImageJ's operation; e.g. border-median for Densito's default)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-$here/../build/release}"
cli="$build/src/cli/densito-cli"
floor="$build/bench/densito_decode_floor"
runs="${RUNS:-5}"
batch="${BATCH:-50}"
batch_runs="${BATCH_RUNS:-3}"
background="${BACKGROUND:-rolling-ball:50}"
imagej_jar=/usr/share/java/ij.jar

for program in "$cli" "$floor"; do
    [[ -x "$program" ]] || { echo "compare_imagej: $program not built (cmake --build $build --target densito-cli densito_decode_floor)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "compare_imagej: /usr/bin/time is needed (package time)" >&2; exit 2; }

work="${WORK:-$(mktemp -d)}"
xvfb_pid=""
cleanup() {
    [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
    [[ -z "${WORK:-}" ]] && rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/image" "$work/batch"

have_imagej=0
if [[ -f "$imagej_jar" ]] && command -v java >/dev/null; then
    have_imagej=1
    if [[ -z "${DISPLAY:-}" ]]; then
        if command -v Xvfb >/dev/null; then
            display=":$((90 + RANDOM % 100))"
            Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
            xvfb_pid=$!
            export DISPLAY="$display"
            sleep 2 # the server is ready well within this; not part of any timing
        else
            echo "compare_imagej: ImageJ needs a display and Xvfb is absent: ImageJ skipped" >&2
            have_imagej=0
        fi
    fi
else
    echo "compare_imagej: ImageJ not installed (apt-get install imagej): ImageJ skipped" >&2
fi

# One process under /usr/bin/time: prints "WALL_SECONDS PEAK_RSS_KB CPU_SECONDS". With
# MUST_PRINT set, the process's output must contain that text (ImageJ exits 0 even when its
# macro failed, e.g. without a display).
measure() {
    if ! /usr/bin/time -o "$work/time.txt" -f "%e %M %U %S" "$@" >"$work/last.log" 2>&1; then
        echo "compare_imagej: failed: $*" >&2
        tail -5 "$work/last.log" >&2
        exit 1
    fi
    if [[ -n "${MUST_PRINT:-}" ]] && ! grep -q "$MUST_PRINT" "$work/last.log"; then
        echo "compare_imagej: no \"$MUST_PRINT\" from: $*" >&2
        tail -5 "$work/last.log" >&2
        exit 1
    fi
    tail -1 "$work/time.txt" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

# Median of N runs of a command: prints "MEDIAN_WALL_SECONDS MAX_PEAK_RSS_MB MEDIAN_CPU_SECONDS"
# (CPU = user + system: on a machine shared with other work the wall time is inflated by
# waiting for a core, the CPU time much less).
median_of() {
    local n="$1"
    shift
    local times=() cpus=() peak=0
    for ((i = 0; i < n; i++)); do
        read -r seconds rss cpu < <(measure "$@")
        times+=("$seconds")
        cpus+=("$cpu")
        ((rss > peak)) && peak=$rss
    done
    echo "$(median "${times[@]}") $((peak / 1024)) $(median "${cpus[@]}")"
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

echo "== Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== densito-cli: $("$cli" --version)"

# The images: seed 1 alone, and BATCH seeds for the batch (same size, lanes and rows).
synth_args=(--profile realistic --width 4000 --height 3000 --lanes 10 --rows 3 --uncompressed)
"$cli" -q synth --out "$work/image" --seed 1 "${synth_args[@]}"
"$cli" -q synth --out "$work/batch" --seed 1 --count "$batch" "${synth_args[@]}" >/dev/null
rm -f "$work"/image/*.json "$work"/batch/*.json
image="$(ls "$work"/image/*.tif)"
echo "== Image: $(basename "$image"), $(du -m "$image" | cut -f1) MB, background $background"

cat >"$work/one.ijm" <<'EOF'
open(getArgument());
run("Subtract Background...", "rolling=50");
close();
print("densito-bench-done");
EOF
cat >"$work/batch.ijm" <<'EOF'
setBatchMode(true);
dir = getArgument();
files = getFileList(dir);
done = 0;
for (i = 0; i < files.length; i++) {
    if (endsWith(files[i], ".tif")) {
        open(dir + files[i]);
        run("Subtract Background...", "rolling=50");
        close();
        done++;
    }
}
print("densito-bench-done " + done);
EOF

echo
echo "== Startup"
read -r startup startup_rss startup_cpu < <(median_of "$runs" "$cli" --version)
echo "densito-cli --version      ${startup} s (cpu ${startup_cpu} s)  ${startup_rss} MB  $(ldd "$cli" | wc -l) shared libraries"

echo
echo "== One image (median of $runs whole processes; peak RSS)"
read -r floor_s floor_rss floor_cpu < <(median_of "$runs" "$floor" "$image")
echo "bare libtiff decode        ${floor_s} s (cpu ${floor_cpu} s)  ${floor_rss} MB"
read -r densito_s densito_rss densito_cpu < <(median_of "$runs" "$cli" -q analyze "$image" --out "$work/out1" \
    --no-overlays --threads 1 --background "$background")
echo "densito-cli analyze        ${densito_s} s (cpu ${densito_cpu} s)  ${densito_rss} MB  ($(ratio "$densito_s" "$floor_s")x the decode)"
if ((have_imagej)); then
    read -r imagej_s imagej_rss imagej_cpu < <(MUST_PRINT=densito-bench-done median_of "$runs" \
        java -jar "$imagej_jar" -batch "$work/one.ijm" "$image")
    echo "ImageJ rolling ball        ${imagej_s} s (cpu ${imagej_cpu} s)  ${imagej_rss} MB"
    echo "ImageJ / Densito           $(ratio "$imagej_s" "$densito_s")x (cpu $(ratio "$imagej_cpu" "$densito_cpu")x)"
fi

echo
echo "== Batch of $batch images (median of $batch_runs; peak RSS)"
read -r bfloor_s bfloor_rss bfloor_cpu < <(median_of "$batch_runs" "$floor" "$work"/batch/*.tif)
echo "bare libtiff decode        ${bfloor_s} s (cpu ${bfloor_cpu} s)  ${bfloor_rss} MB"
read -r b1_s b1_rss b1_cpu < <(median_of "$batch_runs" "$cli" -q analyze "$work/batch" --out "$work/outb" \
    --no-overlays --threads 1 --background "$background")
echo "densito-cli, 1 thread      ${b1_s} s (cpu ${b1_cpu} s)  ${b1_rss} MB  ($(ratio "$b1_s" "$bfloor_s")x the decode)"
read -r bn_s bn_rss bn_cpu < <(median_of "$batch_runs" "$cli" -q analyze "$work/batch" --out "$work/outb" \
    --no-overlays --threads 0 --background "$background")
echo "densito-cli, $(nproc) threads     ${bn_s} s (cpu ${bn_cpu} s)  ${bn_rss} MB  ($(ratio "$bn_s" "$bfloor_s")x the decode)"
if ((have_imagej)); then
    read -r bij_s bij_rss bij_cpu < <(MUST_PRINT="densito-bench-done $batch" median_of "$batch_runs" \
        java -jar "$imagej_jar" -batch "$work/batch.ijm" "$work/batch/")
    echo "ImageJ, one JVM            ${bij_s} s (cpu ${bij_cpu} s)  ${bij_rss} MB"
    echo "ImageJ / Densito 1 thread  $(ratio "$bij_s" "$b1_s")x (cpu $(ratio "$bij_cpu" "$b1_cpu")x)"
    echo "ImageJ / Densito $(nproc) threads $(ratio "$bij_s" "$bn_s")x"
fi
