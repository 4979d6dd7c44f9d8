#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint → typecheck → unit → integration → fuzz → e2e.
# Integration and e2e use the real PostgreSQL (a fresh database per run), the real Temporal
# dev server and the real Chromium; see test/setup/global-setup.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s ===\n' "$1"; }

step "生成 Prisma Client"
npx prisma generate >/dev/null
step "代码检查（ESLint、Prettier）"
npm run -s lint
step "类型检查"
npm run -s typecheck
step "单元测试"
npx jest --selectProjects unit --ci
step "集成测试（PostgreSQL、Temporal、Chromium）"
npx jest --selectProjects integration --ci --runInBand
step "模糊测试（按 OpenAPI 文档生成请求，每个接口 ${FUZZ_RUNS:-200} 例）"
npx jest --selectProjects fuzz --ci --runInBand
step "端到端测试（Chromium）"
npx jest --selectProjects e2e --ci --runInBand
