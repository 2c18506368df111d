# find-tool.sh: sourced by the shell scripts here, not run. Copy it with them.
#
# find_tool NAME OVERRIDE: prints the tool to use: OVERRIDE when set (the script's $QUOTES
# or $QUOTED), else NAME on PATH (an installed copy: scripts/install), else this
# checkout's release build, else its debug build. Otherwise it says where it looked and
# what to do, and exits 127, the shell's "command not found" (with `set -e`,
# `x=$(find_tool …)` then ends the script with 127). Expects $repo_root.
find_tool() {
    local name=$1 override=$2
    if [[ -n "$override" ]]; then
        if [[ ! -x "$override" ]] && ! command -v "$override" >/dev/null 2>&1; then
            echo "$(basename "$0"): ${name^^}=$override is not an executable" >&2
            exit 127
        fi
        echo "$override"
    elif command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
    elif [[ -x "$repo_root/.build/release/$name" ]]; then
        echo "$repo_root/.build/release/$name"
    elif [[ -x "$repo_root/.build/debug/$name" ]]; then
        echo "$repo_root/.build/debug/$name"
    else
        {
            echo "$(basename "$0"): cannot find $name: not on PATH, not in $repo_root/.build/release or .build/debug."
            echo "  Install it (scripts/install, from a checkout), build it (swift build -c release), or set ${name^^}=/path/to/$name."
        } >&2
        exit 127
    fi
}
