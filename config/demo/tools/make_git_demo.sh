#!/usr/bin/env bash
# Builds the demo's git repository (config/demo/git/shop.bundle) with fixed dates and identities,
# so the bundle is the same on every machine. The pull-request data that goes with it is in
# config/demo/github/ (files in the shape of GitHub's REST API).
#
# History of main (first parent), in the demo week:
#   2026-11-10  initial commit (before the week)
#   2026-11-17  merge of pull request #1, approved by priya on its last commit   -> AUTHORIZED
#   2026-11-18  a commit pushed straight to main, no pull request                -> UNAUTHORIZED
#   2026-11-19  squash merge of pull request #2, approved only by its co-author  -> SELF_APPROVED
set -euo pipefail
OUT="$(cd "$(dirname "$0")/.." && pwd)/git/shop.bundle"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
git init -q -b main shop && cd shop
git config commit.gpgsign false

commit() { # date author-name author-email committer-name committer-email message
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" GIT_AUTHOR_NAME="$2" GIT_AUTHOR_EMAIL="$3" \
    GIT_COMMITTER_NAME="$4" GIT_COMMITTER_EMAIL="$5" git commit -q --allow-empty -m "$6"
}

echo "shop" > README.md && git add README.md
commit "2026-11-10T09:00:00Z" christophe christophe@example.com christophe christophe@example.com "Initial commit"

git checkout -q -b feature/checkout
echo "checkout" > checkout.txt && git add checkout.txt
commit "2026-11-17T10:00:00Z" christophe christophe@example.com christophe christophe@example.com "Add the checkout page"
git checkout -q main
GIT_AUTHOR_DATE="2026-11-17T15:00:00Z" GIT_COMMITTER_DATE="2026-11-17T15:00:00Z" \
  GIT_AUTHOR_NAME=christophe GIT_AUTHOR_EMAIL=christophe@example.com \
  GIT_COMMITTER_NAME=GitHub GIT_COMMITTER_EMAIL=noreply@github.com \
  git merge -q --no-ff feature/checkout -m "Merge pull request #1 from acme/feature/checkout" -m "Add the checkout page"

echo "timeout=30" > config.txt && git add config.txt
commit "2026-11-18T12:00:00Z" christophe christophe@example.com christophe christophe@example.com "Hotfix: raise the payment timeout"

echo "key=v2" > signing.txt && git add signing.txt
commit "2026-11-19T16:00:00Z" mina mina@example.com GitHub noreply@github.com "Rotate the signing key (#2)

Co-authored-by: sam <sam@example.com>"

git branch -q -D feature/checkout
mkdir -p "$(dirname "$OUT")"
git bundle create -q "$OUT" HEAD main
git log --first-parent --format='%H %cI %s' main
