#!/bin/bash
# The library's files are layered as the concern map at the top of
# lib/core.h says (core, then formats and RSA maths, then checking), and
# the built objects agree: no file calls a file of a higher layer, no
# circle between files, and no file includes a higher layer's header.
#
# The map is the one table: each layer line names its files, a file named
# under a layer belongs to it.  The calls are read from the objects with
# nm (who defines each global symbol, who uses it), so that a call through
# a header's declaration counts as it does for the linker.
#
# LAYERS_ARCHIVE (default: the in-tree convenience archive) and
# LAYERS_MAP (default lib/core.h) may name others, for the test of this
# test.
. "$top_srcdir/tests/lib.sh"

map=${LAYERS_MAP:-$top_srcdir/lib/core.h}
ar=${LAYERS_ARCHIVE:-$top_builddir/lib/.libs/libvhkey-core.a}
command -v nm >/dev/null || skip "nm not installed"
[ -f "$ar" ] || skip "no $ar to read the calls from"
[ -f "$map" ] || fail "no concern map $map"

# file<TAB>layer<TAB>rank, from the map's comment: a line " * NAME<TAB>..."
# starts layer NAME; every *.c and *.h named until the next belongs to it.
awk '
/Where each concern lives/ { on = 1; next }
on && /\*\// { exit }
on && /^ \* [a-z]+\t/ { layer = $2; rank++ }
on && layer != "" {
	s = $0
	while (match(s, /[a-z0-9_]+\.[ch]([^a-z0-9_]|$)/)) {
		f = substr(s, RSTART, RLENGTH)
		sub(/[^a-z0-9_.]$/, "", f)
		sub(/\.$/, "", f)
		if (f ~ /\.[ch]$/ && !(f in seen)) {
			seen[f] = 1
			printf "%s\t%s\t%d\n", f, layer, rank
		}
		s = substr(s, RSTART + RLENGTH)
	}
}' "$map" >"$T/layers"
[ "$(cut -f3 "$T/layers" | sort -u | wc -l)" -ge 3 ] ||
	fail "the map in $map names fewer than three layers"

# every library source is in the map, and the map names no stale file
for f in "$top_srcdir"/lib/*.c "$top_srcdir"/lib/*.h; do
	b=${f##*/}
	cut -f1 "$T/layers" | grep -qx "$b" ||
		fail "lib/$b is in no layer of the map in $map"
done
while IFS=$'\t' read -r f _ _; do
	[ -f "$top_srcdir/lib/$f" ] ||
		fail "the map names lib/$f, which is gone"
done <"$T/layers"

# README's "Layout" table says the same: each file under the same layer
# (by its first word), every file of the map in it.
awk -F'|' '
/^\| layer \| file \| concern \|/ { on = 1; next }
on && !/^\|/ { exit }
on && $2 !~ /^-+$/ {
	split($2, w, " ")
	if (w[1] != "")
		layer = w[1]
	s = $3
	while (match(s, /`[a-z0-9_]+\.[ch]`/)) {
		printf "%s\t%s\n", substr(s, RSTART + 1, RLENGTH - 2), layer
		s = substr(s, RSTART + RLENGTH)
	}
}' "$top_srcdir/README.md" | sort >"$T/readme"
cut -f1,2 "$T/layers" | sort | diff - "$T/readme" >"$T/readme.diff" ||
	fail "README.md's Layout table and the map in $map differ (<: map, >: README):
$(cat "$T/readme.diff")"

# user<TAB>definer<TAB>symbol for every call between two objects
nm -A "$ar" 2>/dev/null | awk '
{
	n = split($1, a, ":")
	o = a[n - 1]
	sub(/^.*_la-/, "", o)
	sub(/\.o$/, ".c", o)
	if (NF == 3 && $2 ~ /^[TDBRCVWGSi]$/)
		def[$3] = o
	else if (NF == 3 && $2 == "U") {
		k++
		user[k] = o
		sym[k] = $3
	}
}
END {
	for (i = 1; i <= k; i++)
		if ((sym[i] in def) && def[sym[i]] != user[i])
			printf "%s\t%s\t%s\n", user[i], def[sym[i]], sym[i]
}' | sort -u >"$T/calls"
[ -s "$T/calls" ] || fail "no calls between the objects of $ar: nm output?"

# (a) downward only; (b) no circle; (c) includes downward only
grep -H '^#include "' "$top_srcdir"/lib/*.c "$top_srcdir"/lib/*.h |
	sed 's|^.*/||; s|:#include "\(.*\)".*|\t\1|' >"$T/includes"
# judge CALLS: the calls (user, definer, symbol) and the includes against
# the layers; prints what is wrong, and fails
judge() {
	awk -F'\t' -v L="$T/layers" -v C="$1" -v I="$T/includes" '
	BEGIN {
		while ((getline line < L) > 0) {
			split(line, a, "\t")
			layer[a[1]] = a[2]
			rank[a[1]] = a[3] + 0
		}
		while ((getline line < C) > 0) {
			split(line, a, "\t")
			f = a[1]; g = a[2]
			if (!(f in rank) || !(g in rank)) {
				print "an object not in the map: " f " -> " g
				bad = 1
				continue
			}
			if (rank[f] < rank[g]) {
				print "upward call: " f " (" layer[f] ") -> " \
				    g " (" layer[g] "): " a[3]
				bad = 1
			}
			if (!((f, g) in edge)) {
				edge[f, g] = a[3]
				adj[f] = adj[f] " " g
				nedges++
			}
		}
		while ((getline line < I) > 0) {
			split(line, a, "\t")
			if ((a[1] in rank) && (a[2] in rank) &&
			    rank[a[1]] < rank[a[2]]) {
				print "upward include: " a[1] " (" layer[a[1]] \
				    ") includes " a[2] " (" layer[a[2]] ")"
				bad = 1
			}
		}
		for (f in rank)
			if (!(f in color) && dfs(f, 0)) {
				bad = 1
				break
			}
		if (!bad)
			printf "layers: %d calls between files, all " \
			    "downward or within a layer; no circle\n", nedges
		exit bad
	}
	# 0 white, 1 on the path, 2 done; path[] the files on the path
	function dfs(f, depth,    n, i, g, to, j, s) {
		color[f] = 1
		path[depth] = f
		n = split(adj[f], to, " ")
		for (i = 1; i <= n; i++) {
			g = to[i]
			if (color[g] == 1) {
				s = ""
				path[depth + 1] = g
				for (j = 0; j <= depth; j++)
					if (s != "" || path[j] == g)
						s = s path[j] " -(" \
						    edge[path[j], path[j + 1]] \
						    ")-> "
				print "circle: " s g
				return 1
			}
			if (color[g] == 0 && dfs(g, depth + 1))
				return 1
		}
		color[f] = 2
		return 0
	}'
}

# the judge fails on what it must: a planted upward call, a planted circle
printf 'key.c\treport.c\tvk_report_new\n' >"$T/planted"
judge "$T/planted" >"$T/out" && fail "a planted upward call passed"
grep -q '^upward call: key.c (core) -> report.c' "$T/out" ||
	fail "a planted upward call: $(cat "$T/out")"
printf 'key.c\tbuf.c\ta\nbuf.c\tescape.c\tb\nescape.c\tkey.c\tc\n' \
	>"$T/planted"
judge "$T/planted" >"$T/out" && fail "a planted circle passed"
grep -q '^circle: .*key.c' "$T/out" || fail "a planted circle: $(cat "$T/out")"

judge "$T/calls" || fail "the layering in $map is broken (above)"

awk -F'\t' '{ printf "  %-9s %s\n", $2, $1 }' "$T/layers"
