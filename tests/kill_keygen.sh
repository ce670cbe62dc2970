#!/bin/bash
# vhkeygen killed (SIGKILL) at random moments: the names hold nothing or
# complete, valid files that match each other, and whatever temporary file
# is left behind is readable by its owner only.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

rounds=${VHKEY_KILL_ROUNDS:-40}
RANDOM=4242 # the same moments on every run
seen_none=0 seen_pair=0 seen_private_only=0
for i in $(seq 1 "$rounds"); do
	rm -f key key.pub .vhkey-*
	"$VHKEYGEN" -N '' -q -b 2048 -f key </dev/null &
	pid=$!
	# 0 to 600 ms: before, during and after generation and writing
	sleep "0.$(printf '%03d' $((RANDOM % 600)))"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true

	for f in .vhkey-*; do
		[ -e "$f" ] || continue
		mode=$(mode_of "$f")
		[ "$mode" = 600 ] || fail "round $i: temporary $f left with mode $mode"
	done
	if [ -e key ]; then
		expect_eq "round $i: private mode" "$(mode_of key)" 600
		y=$("$SSH_KEYGEN" -y -f key) || fail "round $i: a broken private key"
		if [ -e key.pub ]; then
			expect_eq "round $i: pair" "$(cat key.pub)" "$y"
			seen_pair=$((seen_pair + 1))
		else
			# killed between the two renames: the private key is
			# whole, and its .pub can be derived from it
			seen_private_only=$((seen_private_only + 1))
		fi
	elif [ -e key.pub ]; then
		fail "round $i: a .pub without its private key"
	else
		seen_none=$((seen_none + 1))
	fi
done
echo "after $rounds kills: $seen_none nothing, $seen_pair whole pairs, $seen_private_only private only"
