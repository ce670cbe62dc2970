#!/bin/bash
# Two vhkeygen -f with the same name at once: exactly one wins, the other
# fails cleanly, and the pair on disk is consistent.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

for round in 1 2 3 4 5; do
	rm -f key key.pub
	"$VHKEYGEN" -N '' -q -b 2048 -C first -f key </dev/null 2>err1 &
	p1=$!
	"$VHKEYGEN" -N '' -q -b 2048 -C second -f key </dev/null 2>err2 &
	p2=$!
	rc1=0 rc2=0
	wait "$p1" || rc1=$?
	wait "$p2" || rc2=$?
	wins=$(( (rc1 == 0) + (rc2 == 0) ))
	expect_eq "round $round: winners" "$wins" 1
	[ "$rc1" -eq 0 ] && loser=err2 || loser=err1
	grep -q "already exists" "$loser" || fail "round $round: loser said: $(cat "$loser")"
	expect_eq "round $round: pair" "$(cat key.pub)" "$("$SSH_KEYGEN" -y -f key)"
	ls -A | grep -q '^\.vhkey-' && fail "round $round: temporary files left"
done
echo "race: one winner every time, pair consistent"
