#!/usr/bin/env bash
# Checks out every repository of eval/corpus.json at its pinned commit into OUT/<owner>+<name>, from a
# directory of git repositories: MIRRORS/<owner>+<name>/repo (the layout of a stored snapshot) or
# MIRRORS/<owner>+<name> (a bare or normal clone). Idempotent: an existing checkout at the right
# commit is kept. Nothing here downloads; a missing repository is reported and skipped.
#   bash eval/checkout.sh MIRRORS OUT
set -euo pipefail
mirrors=${1:?usage: eval/checkout.sh MIRRORS OUT}
out=${2:?usage: eval/checkout.sh MIRRORS OUT}
corpus=$(dirname "$0")/corpus.json
mkdir -p "$out"
missing=0
while read -r repo commit; do
  name=${repo/\//+}
  src="$mirrors/$name/repo"; [ -d "$src" ] || src="$mirrors/$name"
  if ! git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "missing: $repo@$commit (not in $mirrors)" >&2; missing=$((missing + 1)); continue
  fi
  dest="$out/$name"
  if [ "$(git -C "$dest" rev-parse HEAD 2>/dev/null)" = "$commit" ]; then continue; fi
  rm -rf "$dest"
  git clone -q --no-checkout --shared "$src" "$dest"
  # A snapshot may lack a few large blobs (media, datasets): those paths are left out of the checkout
  # (a sparse checkout) and counted, rather than the whole repository failing.
  absent=$(git -C "$dest" ls-tree -r --full-tree "$commit" | awk -F'\t' '{split($1, m, " "); if (m[2] == "blob") print m[3] "\t" $2}' |
    sort | join -t $'\t' - <(git -C "$dest" ls-tree -r --full-tree "$commit" | awk -F'\t' '{split($1, m, " "); if (m[2] == "blob") print m[3]}' |
      git -C "$dest" cat-file --batch-check | awk '$2 == "missing" {print $1}' | sort) | cut -f2)
  if [ -n "$absent" ]; then
    printf '/*\n' > "$dest/.git/sparse-list"
    printf '%s\n' "$absent" | sed 's|^|!/|' >> "$dest/.git/sparse-list"
    git -C "$dest" sparse-checkout set --no-cone --stdin < "$dest/.git/sparse-list" 2>/dev/null
  fi
  git -C "$dest" -c advice.detachedHead=false checkout -q "$commit"
  echo "checked out $repo@${commit:0:12}${absent:+, without $(printf '%s\n' "$absent" | wc -l) file(s) the snapshot lacks}"
done < <(node -e 'const c=require(process.argv[1]); const seen=new Set(); for (const k of c.cases) { const key=k.repo+" "+k.commit; if (!seen.has(key)) { seen.add(key); console.log(key); } }' "$(cd "$(dirname "$corpus")" && pwd)/corpus.json")
echo "checkouts in $out; $missing missing"
