#!/usr/bin/env bash
# API.md must be what jsii-docgen makes of the compiled assembly (run after `jsii`).
set -euo pipefail
mkdir -p test-reports
jsii-docgen -o test-reports/API.md
if ! diff -u API.md test-reports/API.md; then
  echo 'API.md is out of date: run `npx projen docgen` and commit it' >&2
  exit 1
fi
