#!/bin/bash
# "as_written" agrees with the real sshd: each class of paste damage that
# vhkeycheck repairs is given, as it is, to sshd as its authorized_keys
# file, and a login with the matching key must work exactly when the
# report says sshd reads the text as written.  (lib/paste.c encodes which
# damage sshd 9.2 takes; this keeps it honest on the sshd installed.)
. "$top_srcdir/tests/lib.sh"
require "${SSHD:-}" sshd
require "${SSH:-}" ssh
require "${SSH_KEYGEN:-}" ssh-keygen
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
cd "$T"

"$SSH_KEYGEN" -q -t ed25519 -N '' -C 'bob@desk' -f userkey
"$SSH_KEYGEN" -q -t ed25519 -N '' -f hostkey
user=$(id -un)
start_test_sshd "$T/hostkey"

login() {
	timeout 60 "$SSH" -F /dev/null -i userkey -p "$port" \
		-o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=20 \
		"$user@127.0.0.1" echo in </dev/null 2>/dev/null | grep -qx in
}

t=$(cut -d' ' -f1 userkey.pub)
d=$(cut -d' ' -f2 userkey.pub)
h1=${d:0:30}
h2=${d:30}
nbsp=$'\302\240' nnbsp=$'\342\200\257' zw=$'\342\200\213' bom=$'\357\273\277'
cr=$'\r' tab=$'\t'
# name, then the text (printf %s: no newline added but where given)
cases=(
	plain "$t $d bob@desk"$'\n'
	crlf "$t $d bob@desk$cr"$'\n'
	crlf-no-comment "$t $d$cr"$'\n'
	cr-in-data "$t $h1$cr$h2 bob@desk"$'\n'
	cr-after-type "$t$cr$d bob@desk"$'\n'
	cr-before-comment "$t $d${cr}bob@desk"$'\n'
	outer-space $'\n\n'"  $tab$t $d bob@desk $tab"$'\n\n'
	tabs "$t$tab$d${tab}bob@desk"$'\n'
	options "no-pty,command=\"echo in\" $t $d bob@desk"$'\n'
	bom "$bom$t $d bob@desk"$'\n'
	nbsp-after-type "$t$nbsp$d bob@desk"$'\n'
	nbsp-before-comment "$t $d${nbsp}bob@desk"$'\n'
	nnbsp-before-comment "$t $d${nnbsp}bob@desk"$'\n'
	nbsp-in-comment "$t $d bob${nbsp}desk"$'\n'
	nbsp-first "$nbsp$t $d bob@desk"$'\n'
	zero-width-in-data "$t $h1$zw$h2 bob@desk"$'\n'
	feff-in-data "$t $h1$bom$h2 bob@desk"$'\n'
	zero-width-after-data "$t $d$zw bob@desk"$'\n'
	zero-width-in-comment "$t $d bob${zw}desk"$'\n'
	wrapped "$t $h1"$'\n'"$h2 bob@desk"$'\n'
	spaces-in-data "$t $h1 $h2 bob@desk"$'\n'
	comment-joined "$t $d"$'\n'"bob@desk"$'\n'
	rfc4716 "$("$SSH_KEYGEN" -e -f userkey.pub)"$'\n'
	# options: sshd refuses the line for a value it cannot read
	opt-from "from=\"127.0.0.1\" $t $d bob@desk"$'\n'
	opt-unquoted "expiry-time=20991231 $t $d bob@desk"$'\n'
	opt-expired "expiry-time=\"20000101\" $t $d bob@desk"$'\n'
	opt-not-expired "expiry-time=\"20991231\" $t $d bob@desk"$'\n'
	opt-permitopen "permitopen=\"localhost:80\" $t $d bob@desk"$'\n'
	opt-permitopen-bad "permitopen=\"localhost\" $t $d bob@desk"$'\n'
	opt-permitlisten "permitlisten=\"8080\" $t $d bob@desk"$'\n'
	opt-environment-bad "environment=\"A-B=c\" $t $d bob@desk"$'\n'
	opt-tunnel "tunnel=\"any\" $t $d bob@desk"$'\n'
	opt-tunnel-bad "tunnel=\"-1\" $t $d bob@desk"$'\n'
	opt-cert-authority "cert-authority $t $d bob@desk"$'\n'
	opt-command-twice "command=\"echo in\",command=\"echo in\" $t $d bob@desk"$'\n'
	opt-flag-with-value "no-pty=\"x\" $t $d bob@desk"$'\n'
)
agree=0
for ((i = 0; i < ${#cases[@]}; i += 2)); do
	name=${cases[i]}
	printf '%s' "${cases[i + 1]}" >authorized_keys
	if login; then sshd=true; else sshd=false; fi
	json=$("$VHKEYCHECK" --json <authorized_keys || true)
	ours=$(echo "$json" | grep -o '"as_written":[a-z]*' | cut -d: -f2)
	printf '%-24s sshd logs in: %-5s as_written: %s\n' "$name" "$sshd" "$ours"
	case "$json" in *'"verdict":"accepted"'*) ;;
	*) fail "$name: the paste was not accepted: $json" ;; esac
	[ "$ours" = "$sshd" ] || fail "$name: as_written $ours, but sshd says $sshd"
	agree=$((agree + 1))
done
stop_sshd
echo "as_written agrees with sshd on all $agree cases"
