#!/bin/bash
# vhkeycheck as a person uses it: output beside ssh-keygen -l's, JSON, exit
# status, and the messages for what people paste by mistake.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
VHKEYCHECK="$top_builddir/tools/vhkeycheck"
D="$top_srcdir/tests/data/paste"
cd "$T"

# run CMD...: sets out, err, rc, with nothing on standard input
run() { run_in /dev/null "$@"; }

# ------------------------------------------------------------ usage
run "$VHKEYCHECK" --help
expect_eq "--help exit" "$rc" 0
grep -q -- '--min-bits' "$T/out" || fail "--help lacks --min-bits"
grep -q -- 'Exit status' "$T/out" || fail "--help lacks the exit status"
run "$VHKEYCHECK" --version
expect_eq "--version exit" "$rc" 0
case "$out" in "vhkeycheck (libvhkey) "*) ;; *) fail "--version: $out" ;; esac
for bad in "--bogus" "-E sha1" "-E" "--min-bits 512" "--min-bits abc" \
	"--min-bits 20000" "--min-bits -2048"; do
	# shellcheck disable=SC2086
	run "$VHKEYCHECK" $bad "$D/ed25519.pub"
	expect_eq "'$bad' exit" "$rc" 2
	[ -z "$out" ] || fail "'$bad' printed a verdict: $out"
	[ -n "$err" ] || fail "'$bad': no message"
done

# ---------------------------------- one key per file, as ssh-keygen -l
for k in rsa4096 ed25519 ecdsa256 ecdsa384 ecdsa521 sk-ed25519 sk-ecdsa256 \
	rsa2048-putty; do
	run "$VHKEYCHECK" "$D/$k.pub"
	expect_eq "$k exit" "$rc" 0
	expect_eq "$k" "$out" "$("$SSH_KEYGEN" -l -f "$D/$k.pub")"
	expect_eq "$k saved" "$out" "$(cat "$D/$k.sha256")"
	run "$VHKEYCHECK" -E md5 "$D/$k.pub"
	expect_eq "$k -E md5" "$out" "$("$SSH_KEYGEN" -l -E md5 -f "$D/$k.pub")"
	run "$VHKEYCHECK" -E sha256 "$D/$k.pub"
	expect_eq "$k -E sha256" "$out" "$(cat "$D/$k.sha256")"
	# standard input: the same line
	run_in "$D/$k.pub" "$VHKEYCHECK"
	expect_eq "$k stdin" "$out" "$(cat "$D/$k.sha256")"
	run_in "$D/$k.pub" "$VHKEYCHECK" -
	expect_eq "$k -" "$out" "$(cat "$D/$k.sha256")"
	expect_eq "$k - exit" "$rc" 0
done

# ------------------------------------------- an authorized_keys file
# (the key without a comment comes first: ssh-keygen 9.2 -lf prints stale
# bytes as the comment of such a key after another line)
{
	cat "$D/ecdsa521.pub"
	echo "# the team"
	cat "$D/rsa4096.pub"
	echo
	echo "   # indented comment"
	cat "$D/ed25519.pub" "$D/ecdsa384.pub" "$D/sk-ed25519.pub"
	printf '\n\n'
	cat "$D/rsa2048-putty.pub"
	printf '%s' "$(cat "$D/sk-ecdsa256.pub")" # no final newline
} >authorized_keys
run "$VHKEYCHECK" authorized_keys
expect_eq "authorized_keys exit" "$rc" 0
expect_eq "authorized_keys" "$out" "$("$SSH_KEYGEN" -l -f authorized_keys)"
run "$VHKEYCHECK" -E md5 authorized_keys
expect_eq "authorized_keys md5" "$out" \
	"$("$SSH_KEYGEN" -l -E md5 -f authorized_keys)"
# with options in front of a key: the same line, and a warning under it
sed 's/^ssh-ed25519/no-pty,command="echo hi there" ssh-ed25519/' \
	authorized_keys >with_options
run "$VHKEYCHECK" with_options
expect_eq "options exit" "$rc" 0
expect_eq "options" "$(echo "$out" | grep -v '^  ')" \
	"$("$SSH_KEYGEN" -l -f with_options)"
# a file's options are sshd's to apply: said, not dropped
echo "$out" | grep -q '^  warning: The options in front of the key (no-pty, command=' ||
	fail "no warning for options: $out"
echo "$out" | grep -q 'Dropped' && fail "a file's options called dropped: $out"

# JSON: one object per key and line, saying where
run "$VHKEYCHECK" --json authorized_keys
expect_eq "json exit" "$rc" 0
expect_eq "json lines" "$(echo "$out" | wc -l)" 7
case "$(echo "$out" | sed -n 2p)" in
'{"file":"authorized_keys","line":3,"verdict":"accepted",'*) ;;
*) fail "json: $out" ;;
esac
echo "$out" | sed -n 3p | grep -q '"line":6,' || fail "json line 6: $out"
for field in '"reason":null' '"type":"ssh-rsa"' '"bits":4096' \
	"\"fingerprint\":\"$(cut -d' ' -f2 "$D/rsa4096.sha256")\"" \
	'"comment":"alice@laptop"' '"warnings":[]' '"repairs":[]' \
	"\"key\":\"$(tr -d '\n' <"$D/rsa4096.pub")\""; do
	echo "$out" | sed -n 2p | grep -qF "$field" || fail "json lacks $field"
done
run_in "$D/ed25519.pub" "$VHKEYCHECK" --json
case "$out" in '{"verdict":"accepted","reason":null,"type":"ssh-ed25519",'*) ;;
*) fail "stdin json: $out" ;; esac

# ------------------------------------------------------ rejections
cp authorized_keys mixed
{
	echo                 # ends line 12
	cat "$D/rsa1024.pub" # line 13
	cat "$D/dsa.pub"     # line 14
	echo "ssh-rsa AAAAB3NzaC1yc2E broken"
	cat "$D/ed25519.pub"
} >>mixed
run "$VHKEYCHECK" mixed
expect_eq "mixed exit" "$rc" 1
echo "$out" | grep -q "^mixed:13: rejected (weak_key): " || fail "weak: $out"
echo "$out" | grep -q "^mixed:14: rejected (unsupported_type): This is a DSA" ||
	fail "dsa: $out"
echo "$out" | grep -q "^mixed:15: rejected (malformed): " || fail "15: $out"
expect_eq "mixed last" "$(echo "$out" | tail -1)" "$(cat "$D/ed25519.sha256")"
run "$VHKEYCHECK" --min-bits 1024 "$D/rsa1024.pub"
expect_eq "--min-bits 1024" "$out" "$(cat "$D/rsa1024.sha256")"
expect_eq "--min-bits 1024 exit" "$rc" 0
run "$VHKEYCHECK" --json mixed
expect_eq "mixed json exit" "$rc" 1
echo "$out" | grep -q '"line":13,"verdict":"rejected","reason":"weak_key","type":"ssh-rsa","bits":1024' ||
	fail "weak json: $out"

# a private key file: one verdict, no byte of it shown.  (An OpenSSH
# private key file is checked as ssh will use it instead: the test of that
# is vhkeycheck_private.sh; here, only that none of it is shown.)
for p in priv-openssh-rsa priv-ppk3.ppk priv-pem-rsa-encrypted priv-sshcom; do
	run "$VHKEYCHECK" "$D/$p"
	expect_eq "$p exit" "$rc" 1
	sed -n '2p' "$D/$p" | cut -c1-16 >"$T/secret"
	grep -qFf "$T/secret" "$T/out" && fail "$p: private bytes in the output"
	# every kind of private key file is checked as one (its mode too)
	echo "$out" | grep -q "^$D/$p: rejected (" || fail "$p: $out"
	echo "$out" | grep -q "rejected (private_key)" && fail "$p: $out"
	echo "$out" | grep -q "\.pub" || fail "$p: no .pub advice"
	run_in "$D/$p" "$VHKEYCHECK" -
	expect_eq "$p stdin exit" "$rc" 1
	case "$out" in "stdin: rejected (private_key): This is "*) ;;
	*) fail "$p stdin: $out" ;; esac
done

# standard input: one key, exactly
cat "$D/ed25519.pub" "$D/rsa4096.pub" >two
run_in two "$VHKEYCHECK" -
expect_eq "two keys exit" "$rc" 1
case "$out" in "stdin: rejected (malformed): The text holds more than one key"*) ;;
*) fail "two keys: $out" ;; esac
run_in /dev/null "$VHKEYCHECK"
expect_eq "empty stdin exit" "$rc" 1
case "$out" in "stdin: rejected (malformed): Nothing was pasted"*) ;;
*) fail "empty: $out" ;; esac
# a damaged paste is repaired, and says so
sed 's/$/\r/; s/ /\t/' "$D/rsa4096.pub" >damaged
run_in damaged "$VHKEYCHECK"
expect_eq "damaged exit" "$rc" 0
expect_eq "damaged" "$out" "$(cat "$D/rsa4096.sha256")
  repaired: Converted Windows line ends (CR LF) to plain ones.
  repaired: Replaced tabs between the fields with spaces."
fold -w 64 "$D/ed25519.pub" >wrapped
run_in wrapped "$VHKEYCHECK"
expect_eq "wrapped exit" "$rc" 0
expect_eq "wrapped" "$(echo "$out" | head -1)" "$(cat "$D/ed25519.sha256")"
expect_eq "wrapped, as written" "$(echo "$out" | tail -1)" \
	"  as written: sshd would not read the text as given; store the repaired key line (\"key\" in --json)"
# the other formats: read from a paste; as a FILE sshd does not read them
for f in rsa4096.rfc4716 rsa4096.pkcs8 rsa4096.pem; do
	run_in "$D/$f" "$VHKEYCHECK"
	expect_eq "$f pasted exit" "$rc" 0
	expect_eq "$f fingerprint" "$(echo "$out" | cut -d' ' -f2)" \
		"$(cut -d' ' -f2 "$D/rsa4096.sha256")"
	run "$VHKEYCHECK" "$D/$f"
	expect_eq "$f file exit" "$rc" 1
	case "$out" in "$D/$f:1: rejected (malformed): sshd will not read this block as written: "*"; the repaired line is: ssh-rsa AAAA"*) ;;
	*) fail "$f as a file: $out" ;; esac
done
# too large for a paste: refused, not read; its size when a file says it
head -c 1000000 /dev/zero | tr '\0' A >big
run_in big "$VHKEYCHECK"
expect_eq "big exit" "$rc" 1
case "$out" in "stdin: rejected (too_large): The text is 1000000 bytes long;"*) ;;
*) fail "big: $out" ;; esac
set +e
out=$(cat big | timeout 60 "$VHKEYCHECK")
rc=$?
set -e
expect_eq "big pipe exit" "$rc" 1
case "$out" in "stdin: rejected (too_large): The text is more than 65536 bytes long;"*) ;;
*) fail "big pipe: $out" ;; esac

# ------------------------------------------------ input/output errors
run "$VHKEYCHECK" missing.pub
expect_eq "missing exit" "$rc" 2
expect_eq "missing" "$err" "vhkeycheck: missing.pub: No such file or directory"
mkdir adir
run "$VHKEYCHECK" adir
expect_eq "directory exit" "$rc" 2
expect_eq "directory" "$err" "vhkeycheck: adir: Is a directory"
# the other files are still checked; the worst status wins
run "$VHKEYCHECK" "$D/ed25519.pub" missing.pub "$D/dsa.pub"
expect_eq "missing among others exit" "$rc" 2
expect_eq "missing among others" "$(echo "$out" | head -1)" \
	"$(cat "$D/ed25519.sha256")"
echo "$out" | grep -q "dsa.pub:1: rejected" || fail "dsa not checked: $out"
if [ "$(id -u)" -ne 0 ]; then
	cp "$D/ed25519.pub" unreadable
	chmod 000 unreadable
	run "$VHKEYCHECK" unreadable
	expect_eq "unreadable exit" "$rc" 2
	expect_eq "unreadable" "$err" "vhkeycheck: unreadable: Permission denied"
fi
: >empty
run "$VHKEYCHECK" empty
expect_eq "empty file exit" "$rc" 1
expect_eq "empty file" "$out" "empty: rejected (malformed): The file is empty: it holds no key."
# ------------------------------------------- devices are never read
ln -s /dev/zero zero-link
for f in /dev/zero zero-link; do
	run "$VHKEYCHECK" "$f"
	expect_eq "$f exit" "$rc" 2
	case "$err" in "vhkeycheck: $f: not a regular file or a pipe"*) ;;
	*) fail "$f: $err" ;; esac
done
run_in /dev/zero "$VHKEYCHECK"
expect_eq "stdin /dev/zero exit" "$rc" 2
case "$err" in "vhkeycheck: standard input: not a regular file or a pipe"*) ;;
*) fail "stdin /dev/zero: $err" ;; esac
run_in /dev/zero "$VHKEYCHECK" /dev/stdin
expect_eq "/dev/stdin on /dev/zero exit" "$rc" 2

# ------------------------------- getopt errors under the tool's name
run "$VHKEYCHECK" --bogus
expect_eq "unknown option exit" "$rc" 2
expect_eq "unknown option" "$(echo "$err" | head -1)" \
	"vhkeycheck: unrecognized option '--bogus'"
run "$VHKEYCHECK" -E
expect_eq "missing value exit" "$rc" 2
expect_eq "missing value" "$(echo "$err" | head -1)" \
	"vhkeycheck: option '-E' requires a value"
run "$VHKEYGEN" -N '' --bogus
expect_eq "vhkeygen unknown option" "$(echo "$err" | head -1)" \
	"vhkeygen: unrecognized option '--bogus'"

# --------------------------------- a terminal is told what to do
if command -v python3 >/dev/null; then
	prompt=$(python3 - "$VHKEYCHECK" <<'PY'
import os, pty, sys, select
pid, fd = pty.fork()
if pid == 0:
    # stdin and stdout on the terminal, stderr too
    os.execv(sys.argv[1], [sys.argv[1]])
out = b""
while b"Ctrl-D" not in out:
    r, _, _ = select.select([fd], [], [], 30)
    if not r:
        break
    out += os.read(fd, 1024)
os.write(fd, b"\x04")
os.waitpid(pid, 0)
print(out.decode(errors="replace").strip())
PY
)
	expect_eq "prompt" "$prompt" "paste the public key, then press Ctrl-D"
fi

# ------------------------- a file's line must work as sshd reads it
type=$(cut -d' ' -f1 "$D/ed25519.pub")
data=$(cut -d' ' -f2 "$D/ed25519.pub")
{
	echo "# keys"
	printf '%s\302\240%s bob@desk\n' "$type" "$data"
	cat "$D/rsa4096.pub"
	printf 'no-pty %s %s\342\200\213 z\n' "$type" "$data"
	cat "$D/ed25519.rfc4716"
	printf '%s %s bob\302\240desk\n' "$type" "$data"
} >damaged_keys
cp damaged_keys damaged_keys.orig
run "$VHKEYCHECK" damaged_keys
expect_eq "damaged keys exit" "$rc" 1
echo "$out" | grep -qF "damaged_keys:2: rejected (malformed): sshd will not read this line as written: it holds a non-breaking space (U+00A0 or U+202F) where a plain space belongs; the repaired line is: $type $data bob@desk" ||
	fail "nbsp line: $out"
echo "$out" | grep -qF "damaged_keys:4: rejected (malformed): sshd will not read this line as written: it holds an invisible zero-width character" ||
	fail "zero-width line: $out"
echo "$out" | grep -qF "damaged_keys:5: rejected (malformed): sshd will not read this block as written" ||
	fail "block: $out"
run "$VHKEYCHECK" --json damaged_keys
expect_eq "as_written in JSON" "$(echo "$out" | grep -o '"as_written":[a-z]*' | tr '\n' ' ')" \
	'"as_written":false "as_written":true "as_written":false "as_written":false "as_written":true '
# --repair writes the lines sshd reads, and nothing over the input
run "$VHKEYCHECK" --repair repaired_keys damaged_keys
expect_eq "repair exit" "$rc" 1
echo "$out" | grep -qF "damaged_keys: wrote repaired_keys, 3 keys repaired" ||
	fail "repair: $out"
cmp -s damaged_keys damaged_keys.orig || fail "--repair changed its input"
{
	echo "# keys"
	echo "$type $data bob@desk"
	cat "$D/rsa4096.pub"
	echo "no-pty $type $data z"
	echo "$type $data $(sed -n 's/^Comment: "\(.*\)"$/\1/p' "$D/ed25519.rfc4716")"
	printf '%s %s bob\302\240desk\n' "$type" "$data"
} >want_keys
cmp -s repaired_keys want_keys || fail "repaired: $(diff want_keys repaired_keys)"
run "$VHKEYCHECK" repaired_keys
expect_eq "repaired file exit" "$rc" 0
run "$VHKEYCHECK" --repair damaged_keys damaged_keys
expect_eq "repair over input exit" "$rc" 2
ln -s damaged_keys keys-link
run "$VHKEYCHECK" --repair keys-link damaged_keys
expect_eq "repair over input by a link exit" "$rc" 2
cmp -s damaged_keys damaged_keys.orig || fail "--repair wrote over its input"
run "$VHKEYCHECK" --repair out "$D/ed25519.pub" "$D/rsa4096.pub"
expect_eq "repair of two files exit" "$rc" 2

# ------------------ a flood of one error is shown a hundred times
for i in $(seq 1 250); do echo "ssh-rsa AAAA!broken user@host"; done >flood
cat "$D/ed25519.pub" >>flood
run "$VHKEYCHECK" flood
expect_eq "flood exit" "$rc" 1
expect_eq "flood lines" "$(echo "$out" | wc -l)" 102
expect_eq "flood sum" "$(echo "$out" | tail -1)" \
	"flood: 150 more lines rejected (malformed), not shown"
run "$VHKEYCHECK" --json flood
expect_eq "flood JSON lines" "$(echo "$out" | wc -l)" 251
# ------------- a .pub with its private key beside it: the hint (stderr)
cp "$D/ed25519.pub" half.pub
run "$VHKEYCHECK" half.pub
expect_eq "no private half: no hint" "$err" ""
: >half
run "$VHKEYCHECK" half.pub
expect_eq "hint exit" "$rc" 0
expect_eq "hint" "$err" "vhkeycheck: hint: half.pub is the public half, to paste into the server; to log in, use the private key half with ssh -i, not half.pub"
run "$VHKEYCHECK" --json half.pub
expect_eq "--json: no hint" "$err" ""
rm half
mkdir half
run "$VHKEYCHECK" half.pub
expect_eq "a directory: no hint" "$err" ""

echo "vhkeycheck CLI: all checks passed"
