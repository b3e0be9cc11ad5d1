#!/bin/bash
# bench/mapcov.sh - a transitive coverage query over 100,000 generated mappings, trustreg against
# the equivalent recursive CTE run by the sqlite3 command on the same database, timed with
# hyperfine in the same run. Prints the ratio. Target (issue 5): trustreg <= 1x sqlite3.
#
# Data (deterministic): five frameworks F0..F4 of 10,000 controls each; 25,000 mappings between
# each neighbouring pair (F0->F1 ... F3->F4), relationships cycling through the five OSCAL values
# plus equal-to; 2,000 met controls of F0 (every fifth). Query: which controls of F4 are fully or
# partially covered, following mappings in both directions with the composition table, no depth
# limit, chains dropped as soon as "disjoint" becomes possible (exactly what trustreg does; see
# docs/mappings.md). Both outputs are checked to agree before timing.
# Usage: TRUSTREG=build-bench/trustreg bench/mapcov.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUSTREG=${TRUSTREG:-build-bench/trustreg}
for tool in hyperfine jq sqlite3 python3; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$TRUSTREG" ] || { echo "bench: $TRUSTREG not built (make bench)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/trustreg-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/map.db"

python3 - "$TMP" <<'PY'
import sys
out = sys.argv[1]
N, PER_STAGE = 10000, 25000
rels = ["equivalent-to", "superset-of", "subset-of", "intersects-with", "equal-to", "superset-of"]
with open(out + "/maps.csv", "w") as f:
    f.write("source_catalog,source_control,relationship,target_catalog,target_control,strength\n")
    for stage in range(4):
        for n in range(PER_STAGE):
            j = n % N
            k = n // N
            t = (j * 7 + k * 13 + stage) % N
            r = rels[(j * 31 + k * 17 + stage) % len(rels)]
            f.write(f"F{stage},c{j:05d},{r},F{stage + 1},c{t:05d},{(j + k) % 11}\n")
met = [f"c{j:05d}" for j in range(0, N, 5)]
open(out + "/met.txt", "w").write("\n".join(met) + "\n")
with open(out + "/cte.sql", "w") as f:
    f.write("CREATE TEMP TABLE met(k TEXT PRIMARY KEY);\n")
    f.write("INSERT INTO met VALUES " + ",".join(f"('{m}')" for m in met) + ";\n")
    f.write("""
CREATE TEMP TABLE bits(m INTEGER, i INTEGER);
WITH RECURSIVE n(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM n WHERE m < 31)
INSERT INTO bits SELECT m, i FROM n, (SELECT 0 AS i UNION ALL SELECT 1 UNION ALL SELECT 2
  UNION ALL SELECT 3 UNION ALL SELECT 4) WHERE (m >> i) & 1;
CREATE TEMP TABLE mc(a INTEGER, b INTEGER, c INTEGER, PRIMARY KEY (a, b));
INSERT INTO mc SELECT x.m, y.m, sum(DISTINCT 1 << t.c) FROM bits x JOIN bits y
  JOIN map_rel_compose t ON t.a = x.i AND t.b = y.i GROUP BY x.m, y.m;
WITH RECURSIVE
  src(id) AS (SELECT id FROM map_frameworks WHERE name = 'F0'),
  dst(id) AS (SELECT id FROM map_frameworks WHERE name = 'F4'),
  reach(fw, k, m) AS (
    SELECT (SELECT id FROM src), k, 1 FROM met
    UNION
    SELECT e.dst_fw, e.dst_key, mc.c FROM reach r
      JOIN map_edges e ON e.src_fw = r.fw AND e.src_key = r.k
      JOIN mc ON mc.a = r.m AND mc.b = e.rel WHERE (mc.c & 16) = 0
    UNION
    SELECT e.src_fw, e.src_key, mc.c FROM reach r
      JOIN map_edges e ON e.dst_fw = r.fw AND e.dst_key = r.k
      JOIN mc ON mc.a = r.m AND mc.b = ((e.rel & 25) | ((e.rel & 2) << 1) | ((e.rel & 4) >> 1))
      WHERE (mc.c & 16) = 0),
  universe(k) AS (SELECT dst_key FROM map_edges WHERE dst_fw = (SELECT id FROM dst)
    UNION SELECT src_key FROM map_edges WHERE src_fw = (SELECT id FROM dst)),
  best(k, lvl) AS (SELECT k, CASE WHEN min(m & ~5) = 0 THEN 'full' ELSE 'partial' END
    FROM reach WHERE fw = (SELECT id FROM dst) GROUP BY k)
SELECT coalesce(b.lvl, 'none'), u.k FROM universe u LEFT JOIN best b ON b.k = u.k ORDER BY u.k;
""")
PY

"$TRUSTREG" --db "$DB" map import --quiet "$TMP/maps.csv" >/dev/null 2>&1
# same answer from both before timing
"$TRUSTREG" --db "$DB" map coverage --json --from F0 --to F4 --met "$TMP/met.txt" \
    | jq -r '.controls[] | "\(.coverage)|\(.control)"' | sort >"$TMP/a.txt"
sqlite3 "$DB" <"$TMP/cte.sql" | sort >"$TMP/b.txt"
if ! cmp -s "$TMP/a.txt" "$TMP/b.txt"; then
    echo "bench: trustreg and the CTE disagree:" >&2
    diff "$TMP/a.txt" "$TMP/b.txt" | head >&2
    exit 1
fi
FULL=$(grep -c '^full' "$TMP/a.txt" || true)
PARTIAL=$(grep -c '^partial' "$TMP/a.txt" || true)

hyperfine --warmup 1 --runs 5 --export-json "$TMP/h.json" \
    --command-name sqlite3-cte "sqlite3 $DB < $TMP/cte.sql > /dev/null" \
    --command-name trustreg "$TRUSTREG --db $DB map coverage --from F0 --to F4 --met $TMP/met.txt > /dev/null" \
    >/dev/null

jq -r --arg full "$FULL" --arg partial "$PARTIAL" '
  (.results | map({key: .command, value: .}) | from_entries) as $r
  | ($r["sqlite3-cte"].median) as $ref
  | "100,000 mappings, 2,000 met controls, F0 -> F4: \($full) full, \($partial) partial (both agree)",
    "  sqlite3 recursive CTE  \($ref * 1000 | floor) ms (reference)",
    "  trustreg map coverage  \($r.trustreg.median * 1000 | floor) ms   ratio \($r.trustreg.median / $ref | . * 100 | floor / 100)x",
    "target: <= 1x"
' "$TMP/h.json"
