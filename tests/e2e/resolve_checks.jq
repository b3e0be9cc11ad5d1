# tests/e2e/resolve_checks.jq - checks of a resolved catalog derived independently (with jq)
# from the imported catalog and the profile, for test_cli_resolve.sh. No published resolutions
# are available in ../shared/data, so the expected result is worked out here from the data and
# the specification (profile-resolution-specml.xml, cited per check). Each check is a list of
# failure messages; empty means it holds.
#
# Inputs: . = the resolved catalog document, $cat = [catalog document], $prof = [profile].

def ctls: (.controls[]? | ., ctls), (.groups[]? | ctls);
def groups_rec: .groups[]? | ., groups_rec;
def strip: del(.controls);

# "Including Controls" + "Dealing with Nested Controls and Groups": the with-ids and their
# ancestors, in catalog order (as-is keeps the catalog's order).
def want_set: [$prof[0].profile.imports[0]["include-controls"][] | .["with-ids"][]]
              | map({key: ., value: true}) | from_entries;
def wanted($w): ($w[.id] // false) or any(.controls[]?; wanted($w));
def expected_ids: want_set as $w | [$cat[0].catalog | ctls | select(wanted($w)) | .id];

def check_ids:
  expected_ids as $e | [.catalog | ctls | .id] as $g
  | (if $e == $g then [] else ["control ids or their order differ from the catalog's: expected \($e | length), got \($g | length); first difference at \([range(0; [$e, $g] | map(length) | min)] | map(select($e[.] != $g[.])) | first // "end") "] end)
  + ([$prof[0].profile.imports[0]["include-controls"][] | .["with-ids"][]] as $ids
     | [$ids[] as $i | select(($g | map(select(. == $i)) | length) != 1) | "\($i) is not present exactly once"]);

# as-is: groups holding an included control, in catalog order, with their non-control content.
def check_groups:
  ($cat[0].catalog | [groups_rec | {key: .id, value: del(.controls, .groups)}] | from_entries) as $cg
  | [.catalog | groups_rec | select(del(.controls, .groups) != $cg[.id]) | "group \(.id) differs from the catalog's"]
  + ( [.catalog | groups_rec | .id] as $g
      | [$cat[0].catalog | groups_rec | .id | select(. as $i | $g | index($i))] as $order
      | if $order == $g then [] else ["group order differs from the catalog's"] end);

# Every control, apart from its child controls, equal to the catalog's with $f applied.
def check_content(f):
  ($cat[0].catalog | [ctls | {key: .id, value: strip}] | from_entries) as $cc
  | [.catalog | ctls | . as $c | ($cc[$c.id] | f) as $exp
     | select(($c | strip) != $exp) | "control \($c.id) differs from the expected content"];

# "Backmatter Resolution" + "Pruning and Ordering": resources of the catalog, then of the
# profile, kept when "#uuid" appears in the result outside the back-matter.
def refs: [.catalog | del(.["back-matter"]) | .. | strings | scan("#([0-9a-fA-F-]{36})") | .[0]] | unique;
def check_backmatter:
  . as $root | refs as $r
  | [($cat[0].catalog["back-matter"].resources // [])[], ($prof[0].profile["back-matter"].resources // [])[]]
  | (reduce .[] as $x ([]; map(select(.uuid != $x.uuid)) + [$x])) as $all
  | [$all[] | select(.uuid as $u | $r | index($u))] as $exp
  | if $exp == $root.catalog["back-matter"].resources then [] else
      ["back-matter differs: expected \($exp | length) resources, got \($root.catalog["back-matter"].resources | length)"] end;

# "Metadata Resolution": the profile's metadata, new last-modified, source-profile prop and
# link, resolution-tool prop.
def check_metadata:
  . as $root | .catalog.metadata as $m | $prof[0].profile.metadata as $p
  | [ (["title", "version", "roles", "parties", "responsible-parties"][]
       | select($m[.] != $p[.]) | "metadata \(.) is not the profile's"),
      (select(([$m.props[]? | select(.name == "resolution-tool")] | length) != 1) | "no resolution-tool prop"),
      (select(([$m.props[]? | select(.name == "source-profile")] | length) != 1) | "no source-profile prop"),
      (select(([$m.links[]? | select(.rel == "source-profile")] | length) != 1) | "no source-profile link"),
      (select($root.catalog.uuid | test("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$") | not) | "uuid is not a version 4 UUID"),
      (select($root.catalog.uuid == $cat[0].catalog.uuid or $root.catalog.uuid == $prof[0].profile.uuid) | "uuid reused") ];

# rev4 NIST baselines: every alter is one add of props at position starting without by-id
# ("Implicit binding": after the title, before any existing prop).
def rev4_adds: [$prof[0].profile.modify.alters[] | {key: .["control-id"], value: [.adds[].props[]]}] | from_entries;
def check_rev4:
  rev4_adds as $a | check_content(($a[.id] // null) as $p
    | if $p == null then . else .props = ($p + (.props // [])) end);

# "Setting Parameters": constraints and guidelines of the set-parameter are added after the
# catalog's; returns failures, and counts how many set-parameters found their param.
def cat_params: $cat[0].catalog | [.. | objects | select(has("params")) | .params[]] | map({key: .id, value: .}) | from_entries;
def res_params: [.catalog | .. | objects | select(has("params")) | .params[]];
def check_set_params:
  cat_params as $cp | res_params as $rp
  | [$prof[0].profile.modify["set-parameters"][] as $sp
     | [$rp[] | select(.id == $sp["param-id"])] as $t
     | if ($t | length) == 0 then "set-parameter \($sp["param-id"]) matched no param"
       else $t[] | select(
         (.constraints // []) != (($cp[.id].constraints // []) + ($sp.constraints // []))
         or (.guidelines // []) != (($cp[.id].guidelines // []) + ($sp.guidelines // [])))
         | "param \(.id): constraints or guidelines are not the catalog's followed by the profile's"
       end];
def set_params_applied:
  res_params as $rp | [$prof[0].profile.modify["set-parameters"][] | .["param-id"] as $i
  | select(any($rp[]; .id == $i))] | length;

# "Altering controls": apart from what the alters add and remove (and the params, checked
# above), every control equals the catalog's. Removes by-name and by-id are applied to the
# catalog control here, added props and parts are taken out of the result.
def added: [$prof[0].profile.modify.alters[].adds[]? | (.props[]?, .parts[]?)] | map({key: tojson, value: true}) | from_entries;
def drop_added($A): if type == "object" then
    (reduce ("props", "parts") as $k (.; if has($k) then .[$k] |= map(select($A[tojson] | not))
      | (if .[$k] == [] then del(.[$k]) else . end) else . end)) | map_values(drop_added($A))
  elif type == "array" then map(drop_added($A)) else . end;
def removes: [$prof[0].profile.modify.alters[] | {key: .["control-id"], value: [.removes[]?]}] | from_entries;
def apply_removes($rs): reduce $rs[] as $r (.; walk(if type == "object" then
    reduce ("props", "parts", "params", "links") as $k (.; if has($k) then .[$k] |= map(select(
      (($r["by-name"] == null) or (.name == $r["by-name"])) and (($r["by-id"] == null) or (.id == $r["by-id"]))
      | not)) | (if .[$k] == [] then del(.[$k]) else . end) else . end) else . end));
def check_alters:
  added as $A | removes as $R
  | ($cat[0].catalog | [ctls | {key: .id, value: strip}] | from_entries) as $cc
  | [.catalog | ctls | . as $c
     | select(($c | strip | del(.params) | drop_added($A)) != ($cc[$c.id] | del(.params) | apply_removes($R[$c.id] // [])))
     | "control \($c.id) differs from the catalog's beyond the profile's alters"];

# Positions ("Implicit binding", "Explicit binding"): added props/parts open (starting) or close
# (ending) the target's, the target being the object with id by-id, or the control.
def check_positions:
  [.catalog | ctls] as $rc | removes as $R
  | [$prof[0].profile.modify.alters[] as $al | ($al.adds // [])[] as $a
     | ($a["by-id"] // $al["control-id"]) as $t
     | ([$rc[] | select(.id == $al["control-id"])][0]) as $ctl
     | ([$ctl | strip | .. | objects | select(.id == $t)][0]) as $tgt
     | if $tgt == null then
         # inoperative only when a remove of the same profile took the target away
         select([$cat[0].catalog | ctls | select(.id == $al["control-id"]) | strip
                 | apply_removes($R[$al["control-id"]] // []) | .. | objects | select(.id == $t)] | length > 0)
         | "alter \($al["control-id"]): target \($t) is missing from the result"
       else ("props", "parts") as $k | ($a[$k] // []) as $items | select($items | length > 0)
         | ($tgt[$k] // []) as $have | ($items | length) as $n
         | select(if ($a.position // "ending") == "starting" then $have[0:$n] != $items
                  else $have[-$n:] != $items end)
         | "alter \($al["control-id"]) add \($k) at \($a.position // "ending") of \($t): not where expected"
       end];
