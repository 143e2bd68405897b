#!/usr/bin/env bash
# Throughput of `replylint audit` against a plain `grep -F -f` of the rule lexicons over the
# same file, in one run. The input is built by repeating the real conversations in
# ../shared/corpora-real/ with fresh ids until it reaches SIZE_MB (default 256).
#
#   benches/audit.sh            # 256 MB in $TMPDIR (or /tmp)
#   SIZE_MB=1024 benches/audit.sh
#
# Needs: cargo, grep, awk; /usr/bin/time (GNU) for peak memory when present.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-256}
WORK=${TMPDIR:-/tmp}/replylint-audit-bench
CORPORA=${CORPORA:-../shared/corpora-real}
mkdir -p "$WORK"
INPUT="$WORK/audit-${SIZE_MB}mb.jsonl"
WORDS="$WORK/lexicon-words.txt"

cargo build --release --quiet
BIN=target/release/replylint

if [ ! -s "$INPUT" ]; then
  echo "building $INPUT ..." >&2
  cat "$CORPORA"/*.jsonl > "$WORK/base.jsonl"
  base=$(stat -c %s "$WORK/base.jsonl")
  rounds=$(( (SIZE_MB * 1024 * 1024 + base - 1) / base ))
  # Fresh ids per round: `"id": "X"` -> `"id": "X~rN"`.
  awk -v rounds="$rounds" '
    { lines[NR] = $0 }
    END {
      for (r = 1; r <= rounds; r++)
        for (i = 1; i <= NR; i++) {
          line = lines[i]
          sub(/^\{"id": "[^"]*/, "&~r" r, line)
          print line
        }
    }' "$WORK/base.jsonl" > "$INPUT"
fi
# Every phrase of the built-in lexicons, one per line.
grep -h '^phrases' rules/*/*.toml | grep -o '"[^"]*"' | tr -d '"' | sed 's/\*$//' | sort -u > "$WORDS"

bytes=$(stat -c %s "$INPUT")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
now() { date +%s.%N; }
cat "$INPUT" > /dev/null # warm the page cache for both

# (Not to /dev/null: GNU grep stops at the first match when its output is /dev/null.)
t0=$(now); grep -F -f "$WORDS" -c "$INPUT" > "$WORK/grep.out" || true; t1=$(now)
grep_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

audit=("$BIN" audit "$INPUT" --format json --no-progress --fail-on never)
t0=$(now)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "%M" -o "$WORK/rss.txt" "${audit[@]}" > "$WORK/audit.out"
else
  "${audit[@]}" > "$WORK/audit.out"
fi
t1=$(now)
audit_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

echo "input:   $INPUT ($mb MiB, $(wc -l < "$INPUT") conversations, $(nproc) cores)"
echo "lexicon: $(wc -l < "$WORDS") phrases"
awk -v mb="$mb" -v bytes="$bytes" -v g="$grep_s" -v a="$audit_s" 'BEGIN {
  printf "grep -F -f:      %7.2f s  %8.1f MiB/s  %8.1f MB/s\n", g, mb / g, bytes / 1e6 / g
  printf "replylint audit: %7.2f s  %8.1f MiB/s  %8.1f MB/s\n", a, mb / a, bytes / 1e6 / a
  printf "ratio (audit time / grep time): %.1fx\n", a / g
}'
if [ -s "$WORK/rss.txt" ]; then
  echo "audit peak RSS: $(( $(cat "$WORK/rss.txt") / 1024 )) MiB"
fi
