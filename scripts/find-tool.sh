# find-tool.sh: sourced by the shell scripts here, not run.
#
# find_tool NAME OVERRIDE: prints the tool to use: OVERRIDE when set (the script's $QUOTES
# or $QUOTED), else this checkout's debug build, else NAME on PATH; otherwise says what to
# do and exits 3 (with `set -e`, `x=$(find_tool …)` then ends the script with 3).
# Expects $repo_root.
find_tool() {
    local name=$1 override=$2
    if [[ -n "$override" ]]; then
        echo "$override"
    elif [[ -x "$repo_root/.build/debug/$name" ]]; then
        echo "$repo_root/.build/debug/$name"
    elif command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
    else
        echo "$(basename "$0"): cannot find $name: build it (swift build) or set ${name^^}" >&2
        exit 3
    fi
}
