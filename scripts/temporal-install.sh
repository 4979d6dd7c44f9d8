#!/usr/bin/env bash
# Obtains the Temporal CLI (dev server) into .tools/bin, reusing a binary that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=v1.5.1
BIN=.tools/bin/temporal
if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "Temporal CLI 已就绪：$($BIN --version | head -1)"
  exit 0
fi
if command -v temporal >/dev/null 2>&1; then
  mkdir -p .tools/bin && ln -sf "$(command -v temporal)" "$BIN"
  echo "使用系统中的 Temporal CLI：$(temporal --version | head -1)"
  exit 0
fi
GO=$(command -v go || true)
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ]; then
  echo "无法获取 Temporal CLI：本机既没有 Go 工具链，也没有 temporal 可执行文件。" >&2
  echo "请安装 Go 1.22+ 后重试，或把 temporal 可执行文件放到 $BIN。" >&2
  exit 1
fi
echo "正在用 go install 构建 Temporal CLI $VERSION（首次约需数分钟）…"
# Later tags carry replace directives and cannot be installed with `go install`.
GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod "$GO" install "github.com/temporalio/cli/cmd/temporal@$VERSION"
echo "Temporal CLI 已安装：$($BIN --version | head -1)"
