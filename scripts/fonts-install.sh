#!/usr/bin/env bash
# Installs the free stand-ins for the 公文 fonts (gbt9704.md) as TrueType files in
# $FONT_DIR, where headless Chromium finds them through fontconfig.
# Idempotent and non-interactive; fast (a few stat calls) when everything is there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

FONT_DIR="${FONT_DIR:-/usr/local/share/fonts/gongwen}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3  # Debian's python3-fonttools lives here, not in pyenv shims
NOTO=/usr/share/fonts/opentype/noto
KAI=/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf

# Full TrueType conversions (every glyph; the fallback in each font stack).
# family|psname|source|ttc face
TARGETS=(
  "GW FangSong|GWFangSong-Regular|fandol|"
  "GW XiaoBiaoSong|GWXiaoBiaoSong-Regular|$NOTO/NotoSerifCJK-Bold.ttc| SC"
  "GW HeiTi|GWHeiTi-Regular|$NOTO/NotoSansCJK-Regular.ttc| SC"
  "GW SongTi|GWSongTi-Regular|$NOTO/NotoSerifCJK-Regular.ttc| SC"
  "GW Kai|GWKai-Regular|kai|"
)
# GB 2312 subsets, first in the font stacks because they print fast (see subset-common.py).
# family|psname|full psname|mode
SUBSETS=(
  "GW FangSong Common|GWFangSongCommon-Regular|GWFangSong-Regular|"
  "GW XiaoBiaoSong Common|GWXiaoBiaoSongCommon-Regular|GWXiaoBiaoSong-Regular|"
  "GW HeiTi Common|GWHeiTiCommon-Regular|GWHeiTi-Regular|"
  "GW SongTi Common|GWSongTiCommon-Regular|GWSongTi-Regular|"
  "GW PageNum|GWPageNum-Regular|GWSongTi-Regular|digits"
)
out_file() { echo "$FONT_DIR/$2.ttf"; }
# Bump when otf-to-ttf.py changes what it writes; older outputs are then patched in place.
VERSION=4
STAMP="$FONT_DIR/.gongwen-version"

all_present() {
  local t fam ps
  for t in "${TARGETS[@]}"; do
    IFS='|' read -r fam ps _ _ <<<"$t"
    [[ -s "$(out_file "$fam" "$ps")" ]] || return 1
  done
  for t in "${SUBSETS[@]}"; do
    IFS='|' read -r fam ps _ _ <<<"$t"
    [[ -s "$(out_file "$fam" "$ps")" ]] || return 1
  done
  [[ -e "$FONT_DIR/GWKai-Regular.ttf" && "$(cat "$STAMP" 2>/dev/null)" == "$VERSION" ]]
}

if all_present; then
  echo "fonts-install: all fonts present in $FONT_DIR"
  exit 0
fi

missing=()
for pkg in fonts-noto-cjk fonts-arphic-gkai00mp python3-fonttools poppler-utils fontconfig; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

mkdir -p "$FONT_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fandol_src() {
  # FandolFang ships only inside texlive-lang-chinese; unpack it without installing TeX.
  local cached="$FONT_DIR/.src/FandolFang-Regular.otf"
  if [[ ! -s "$cached" ]]; then
    mkdir -p "$FONT_DIR/.src"
    (cd "$work" && apt-get download texlive-lang-chinese </dev/null >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get download texlive-lang-chinese </dev/null >/dev/null; })
    dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/tl"
    cp "$(find "$work/tl" -name FandolFang-Regular.otf | head -n1)" "$cached"
  fi
  echo "$cached"
}

pids=()
for t in "${TARGETS[@]}"; do
  IFS='|' read -r fam ps src face <<<"$t"
  dest="$(out_file "$fam" "$ps")"
  if [[ -s "$dest" ]]; then
    [[ "$(cat "$STAMP" 2>/dev/null)" -ge 2 ]] && continue # v2+ full conversions are still current
    src="$dest" # already TrueType: re-apply the naming and cmap fixes only
  fi
  [[ "$src" == fandol ]] && src="$(fandol_src)"
  [[ "$src" == kai ]] && src="$KAI"
  echo "fonts-install: converting $src -> $dest"
  "$PY" "$HERE/fonts/otf-to-ttf.py" "$src" "$dest" "$fam" "$ps" "$face" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

pids=()
for t in "${SUBSETS[@]}"; do
  IFS='|' read -r fam ps full mode <<<"$t"
  dest="$(out_file "$fam" "$ps")"
  [[ -s "$dest" && "$(cat "$STAMP" 2>/dev/null)" == "$VERSION" ]] && continue
  echo "fonts-install: subsetting $full -> $dest"
  "$PY" "$HERE/fonts/subset-common.py" "$FONT_DIR/$full.ttf" "$dest" "$fam" "$ps" "$mode" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

rm -f "$FONT_DIR/gkai00mp.ttf" # replaced by GWKai-Regular.ttf (earlier versions linked it)
echo "$VERSION" >"$STAMP"
fc-cache -f "$FONT_DIR" >/dev/null
echo "fonts-install: done ($FONT_DIR)"
