#!/usr/bin/env bash
# Builds the previous engine for the eval's baseline column: a git worktree of REF (default: the last
# commit before decision engine v2) in DIR, sharing this checkout's node_modules, compiled with tsc.
#   bash eval/baseline.sh DIR [REF]    then   npm run eval -- --repos R --baseline DIR
set -euo pipefail
dir=${1:?usage: eval/baseline.sh DIR [REF]}
ref=${2:-5058542}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -e "$dir/.git" ]; then git -C "$root" worktree add -q --detach "$dir" "$ref"; fi
[ -e "$dir/node_modules" ] || ln -s "$root/node_modules" "$dir/node_modules"
(cd "$dir" && npx tsc -p tsconfig.json)
echo "baseline $(git -C "$dir" rev-parse --short HEAD) built in $dir"
