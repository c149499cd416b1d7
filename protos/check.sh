#!/usr/bin/env bash
# Checks the contract portals build against: the project's own protos (dvc/**), never the standard
# ones beside them (google/, grpc/).
#   1. buf lint, STANDARD rules, with the exceptions listed and explained in buf.yaml;
#   2. buf breaking, FILE rules, the working tree against the protos of the previous commit
#      (CONTRACT_AGAINST, default HEAD~1: in CI's fresh clone, the main the submission was based on).
# buf comes from the npm package @bufbuild/buf pinned in package-lock.json (the binary ships inside
# the package); nothing here needs the network once `npm ci` has run, and buf itself never goes online.
# Exit code: 0 when both pass or the comparison has nothing to compare, non-zero when either fails.
set -euo pipefail
cd "$(dirname "$0")"

# The module root is protos/ (imports read "dvc/common/v1/..."); --path keeps every command on dvc/.
scope=dvc
against=${CONTRACT_AGAINST:-HEAD~1}

pinned=$(node -p 'require("./package-lock.json").packages["node_modules/@bufbuild/buf"].version')
buf=node_modules/.bin/buf
if [ ! -x "$buf" ] || [ "$("$buf" --version 2>/dev/null)" != "$pinned" ]; then
  echo "contract: installing buf $pinned (npm ci)"
  # From npm's cache when it has the package (no network needed), else from the registry.
  npm ci --offline --no-audit --no-fund --loglevel=silent >/dev/null 2>&1 \
    || npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

files=$(find "$scope" -name '*.proto' | wc -l)
echo "contract: buf $("$buf" --version), $files files under protos/$scope"

echo "contract: lint (STANDARD; exceptions in protos/buf.yaml)"
if ! "$buf" lint --path "$scope"; then
  echo "contract: lint FAILED" >&2
  exit 1
fi
echo "contract: lint passed"

# The previous commit must be there to compare with. Its absence is only normal on a repository's
# first commit; in a shallow clone it means the history was cut, which CI must not hide.
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "contract: breaking SKIPPED: not a git checkout, no previous contract to compare with"
  exit 0
fi
if ! base=$(git rev-parse -q --verify "$against^{commit}"); then
  if [ "$against" = "HEAD~1" ] && [ "$(git rev-list --count HEAD)" = 1 ] \
      && [ "$(git rev-parse --is-shallow-repository)" = false ]; then
    echo "contract: breaking SKIPPED: HEAD is the first commit, there is no previous contract"
    exit 0
  fi
  if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
    echo "contract: $against is not in this shallow clone (git fetch --deepen=1 brings it)" >&2
    if [ "${CI:-}" = true ]; then
      echo "contract: breaking FAILED: CI must compare with the previous contract" >&2
      exit 1
    fi
    echo "contract: breaking SKIPPED (not CI)"
    exit 0
  fi
  echo "contract: breaking FAILED: $against is not a commit" >&2
  exit 1
fi
if [ -z "$(git ls-tree -r --name-only "$base" -- "$scope" | grep '\.proto$' || true)" ]; then
  echo "contract: breaking SKIPPED: $against ($(git rev-parse --short "$base")) has no protos/$scope"
  exit 0
fi

# buf reads the old side from git itself; --path scopes both sides to dvc/, so an old commit without
# buf.yaml (every file of protos/ then counts) is compared on dvc/ alone, like the new side.
prefix=$(git rev-parse --show-prefix)
top=$(git rev-parse --show-cdup)
echo "contract: breaking (FILE) against $against ($(git rev-parse --short "$base"))"
if ! "$buf" breaking --path "$scope" \
    --against "${top:-./}.git#ref=$base,subdir=${prefix%/}"; then
  echo "contract: breaking FAILED: v1 is additive only; a breaking change goes to a v2 package" >&2
  exit 1
fi
echo "contract: breaking passed"
