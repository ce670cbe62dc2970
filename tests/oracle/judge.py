"""OpenSSH is the judge: ask vhkeycheck about every case of the corpus,
ask the real sshd / ssh-keygen what they do with the same text as written,
and hold vhkeycheck to the rule:

  accepted (or fit for ssh)  =>  OpenSSH uses it as written, and it is not
                                 weak;
  repaired                   =>  the report says what OpenSSH does with the
                                 text as written ("as_written");
  private material           =>  private_key, and not one 16-character run
                                 of it in any output.

Every disagreement is either justified, by one of the few named reasons in
JUSTIFIED, or unjustified: listed, and the run fails.

Usage: judge.py TMPDIR  (tools from the environment; see oracle.sh)
"""

import base64
import collections
import concurrent.futures
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import agent
import corpus

# The named reasons a disagreement may have; nothing else excuses one.
JUSTIFIED = {
    "weak": "the key is weak: we refuse what sshd would let in",
    "another_key": "the damage made the text another key: the report shows "
                   "its fingerprint; sshd reads it, this key's login fails",
    "one_key_per_paste": "a paste must be one key and nothing else; sshd "
                         "reads each line of a file",
    "key_in_comment": "another key in the comment: refused, sshd takes "
                      "the first key of the line only",
    "control_in_comment": "the comment holds control or bidi characters; "
                          "we refuse with a reason, sshd ignores comments",
    "private_material": "the text carries private key material; we refuse "
                        "it as private_key, sshd ignores comments",
    "private_format": "a PEM/PKCS#8/PuTTY/ssh.com private key file: "
                      "refused as private_key, not checked as a key file",
    "option_policy": "the line's options refuse this login (from= another "
                     "address, an expiry in the past): sshd reads the line",
    "encrypted_unchecked": "a passphrase-protected OpenSSH key damaged in "
                           "its encrypted part: only the passphrase shows "
                           "it, and the report says that part was not "
                           "checked",
    "encrypted_unverifiable": "a passphrase-protected PEM/PKCS#8 key: "
                              "without the passphrase its key cannot be "
                              "known, so it is refused, saying so, with "
                              "the conversion that makes it checkable",
    "damaged_numbers": "the private numbers disagree (a damaged key that "
                       "OpenSSL still signs with): refused, saying so",
}
CONTROL_COMMENTS = {"c-esc", "c-bel", "c-c1-raw", "c-c1", "c-osc", "c-bidi",
                    "c-isolate", "c-u2028", "c-del", "c-nul", "c-backspace",
                    "c-cr-inside", "c-invalid-utf8"}

# what no output may hold raw: C0 but tab and newline, DEL, C1, bidi
# controls, line/paragraph separators
RAW_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069]")


def env(name, default=None):
    v = os.environ.get(name, default)
    if v is None:
        sys.exit(f"judge.py: {name} not set")
    return v


# ------------------------------------------------------------- our tools

class Run:
    """One vhkeycheck run: exit status, output bytes, JSON objects."""

    def __init__(self, args, stdin_path, vhkeycheck, cwd):
        with open(stdin_path, "rb") if stdin_path else \
                open(os.devnull, "rb") as f:
            try:
                p = subprocess.run([vhkeycheck] + args, stdin=f, cwd=cwd,
                                   capture_output=True, timeout=60)
                self.rc, self.out, self.err = p.returncode, p.stdout, \
                    p.stderr
            except subprocess.TimeoutExpired as e:
                self.rc, self.out, self.err = -999, e.stdout or b"", \
                    e.stderr or b""
        self.objs = []
        self.json_ok = True
        if "--json" in args:
            for line in self.out.decode("utf-8", "replace").split("\n"):
                if not line:
                    continue
                try:
                    self.objs.append(json.loads(line))
                except ValueError:
                    self.json_ok = False

    def all_bytes(self):
        return self.out + self.err


class Ours:
    """What vhkeycheck says about one case, in both modes and both output
    forms."""

    def __init__(self, case_dir, vhkeycheck, text_too):
        f = "case"
        self.paste = Run(["--json", "-"], os.path.join(case_dir, f),
                         vhkeycheck, case_dir)
        self.file = Run(["--json", f], None, vhkeycheck, case_dir)
        self.paste_text = self.file_text = None
        if text_too:
            self.paste_text = Run(["-"], os.path.join(case_dir, f),
                                  vhkeycheck, case_dir)
            self.file_text = Run([f], None, vhkeycheck, case_dir)

    def runs(self):
        r = {"paste --json": self.paste, "paste": self.paste_text,
             "file --json": self.file, "file": self.file_text}
        return {k: v for k, v in r.items() if v is not None}


def accepted(obj):
    return obj.get("verdict") == "accepted"


# --------------------------------------------------------------- OpenSSH

def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class Sshd:
    """One sshd for the whole run, listening on one port per lane; each
    lane reads its own authorized_keys file (Match LocalPort), so that
    lanes log in side by side."""

    def __init__(self, tmp, lanes):
        self.tmp = tmp
        self.proc = None
        self.lanes = lanes
        self.hostkey = os.path.join(tmp, "hostkey")
        subprocess.run([env("SSH_KEYGEN"), "-q", "-t", "ed25519", "-N", "",
                        "-f", self.hostkey], check=True)
        if os.geteuid() == 0 and not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", 0o755, exist_ok=True)
        for _ in range(10):
            self.ports = free_ports(lanes)
            if self._start():
                return
            self.stop()
        raise RuntimeError("sshd did not start: " + self.log_tail())

    def ak(self, lane):
        return os.path.join(self.tmp, f"authorized_keys.{lane}")

    def _start(self):
        cfg = os.path.join(self.tmp, "sshd_config")
        with open(cfg, "w") as f:
            for p in self.ports:
                f.write(f"Port {p}\n")
            f.write(f"""ListenAddress 127.0.0.1
HostKey {self.hostkey}
PidFile {self.tmp}/sshd.pid
AuthorizedKeysFile {self.tmp}/authorized_keys.none
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
LogLevel VERBOSE
MaxStartups 64
MaxAuthTries 3
Subsystem sftp internal-sftp
""")
            for lane, p in enumerate(self.ports):
                open(self.ak(lane), "w").close()
                f.write(f"Match LocalPort {p}\n"
                        f"\tAuthorizedKeysFile {self.ak(lane)}\n")
        self.logpath = os.path.join(self.tmp, "sshd.log")
        self.proc = subprocess.Popen(
            [env("SSHD"), "-D", "-e", "-f", cfg],
            stdout=subprocess.DEVNULL, stderr=open(self.logpath, "wb"))
        for _ in range(200):
            if self.log_tail().count("Server listening") >= len(self.ports):
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def log_tail(self, n=4000):
        try:
            with open(self.logpath, "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except (OSError, AttributeError):
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


class Lane:
    def __init__(self, sshd, n, tmp):
        self.sshd = sshd
        self.n = n
        self.port = sshd.ports[n]
        self.ak = sshd.ak(n)
        self.agent = agent.Agent(os.path.join(tmp, f"agent.{n}.sock"))

    def login(self, text, key, identity=None):
        """Does sshd let `key` in with `text` as authorized_keys, as
        written?  True, False, or None when ssh could not tell.  The key
        is used from `identity`, a private key file, if given."""
        with open(self.ak, "wb") as f:
            f.write(text)
        identity = identity or key.ssh_identity
        args = [env("SSH"), "-F", "/dev/null", "-p", str(self.port),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=20",
                "-o", "KexAlgorithms=curve25519-sha256"]
        if identity:
            self.agent.identity = None
            args += ["-i", identity, "-o", "IdentitiesOnly=yes",
                     "-o", "IdentityAgent=none"]
        else:
            self.agent.identity = key.agent_identity
            args += ["-o", "IdentitiesOnly=no",
                     "-o", f"IdentityAgent={self.agent.path}",
                     "-o", f"IdentityFile={self.ak}.none"]
        # sshd's own sftp server, in process: a login that runs no shell
        # (and no shell start-up file), and ends when its input does
        args += ["-s", f"{pwd.getpwuid(os.getuid()).pw_name}@127.0.0.1",
                 "sftp"]
        for _ in range(3):
            try:
                p = subprocess.run(args, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=60)
            except subprocess.TimeoutExpired:
                continue
            if p.returncode == 0:
                return True
            if b"Permission denied" in p.stderr:
                return False
        return None


class Judge:
    """Memoised answers from OpenSSH."""

    def __init__(self, lanes):
        self.free = list(lanes)
        self.memo = {}
        self.logins = 0
        self.login_time = 0.0
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)

    def login(self, text, key, identity=None):
        k = (text, key.id, identity)
        with self.lock:
            if k in self.memo:
                return self.memo[k]
            while not self.free:
                self.cond.wait()
            lane = self.free.pop()
        t = time.time()
        r = None
        try:
            r = lane.login(text, key, identity)
        finally:
            with self.lock:
                self.free.append(lane)
                self.memo[k] = r
                self.logins += 1
                self.login_time += time.time() - t
                self.cond.notify()
        return r


def ssh_loads(path, key, passphrase, timeout):
    """Can ssh load this private key file as written (ssh-keygen -y, with
    its passphrase)?  True only if it yields this very key."""
    try:
        p = subprocess.run([env("SSH_KEYGEN"), "-y", "-P", passphrase or "",
                            "-f", path], capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "ssh-keygen -y: no answer in %ds" % timeout
    words = p.stdout.split()
    ok = p.returncode == 0 and len(words) >= 2 and \
        words[1].decode() == key.b64
    return ok, (p.stdout + p.stderr).decode("utf-8", "replace").strip()


# ----------------------------------------------------------------- leaks

def secret_windows(cases):
    """Per key: the 16-character runs of its private text that no other
    key shares (armour, headers and format constants are shared) and that
    its public key line does not hold."""
    per_key = collections.defaultdict(set)
    seen = set()
    for c in cases:
        for text in c.secrets + ["".join(c.secrets)]:
            if (c.key.id, text) in seen:
                continue
            seen.add((c.key.id, text))
            for i in range(len(text) - 15):
                per_key[c.key.id].add(text[i:i + 16])
    count = collections.Counter()
    for ws in per_key.values():
        count.update(ws)
    out = {}
    for kid, ws in per_key.items():
        key = next(c.key for c in cases if c.key.id == kid)
        public = public_grams(key)
        out[kid] = {w for w in ws if count[w] == 1 and
                    not any(w[i:i + 12] in public for i in range(5))}
    return out


def public_grams(key):
    """The public key in base64 at each of the three alignments it can
    have inside a private key's base64 body: a run of the private text
    that shares 12 characters with it is public data, not a secret."""
    grams = set()
    for shift in range(3):
        b64 = base64.b64encode(b"\0" * shift + key.blob).decode()
        for i in range(len(b64) - 11):
            grams.add(b64[i:i + 12])
    return grams


def strings_of(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings_of(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings_of(v)


def leaks(ours, windows):
    """Which outputs repeat a 16-character run of the private text."""
    found = []
    for name, r in ours.runs().items():
        hay = r.all_bytes().decode("utf-8", "replace")
        hay += "\n".join(s for o in r.objs for s in strings_of(o))
        flat = re.sub(r"\s", "", hay)
        for w in windows:
            if w in hay or w in flat:
                found.append(f"{name}: '{w}'")
                break
    return found


def risky_input(text):
    try:
        return RAW_FORBIDDEN.search(text.decode("utf-8")) is not None
    except UnicodeDecodeError:
        return True


def raw_controls(ours):
    found = []
    for name, r in ours.runs().items():
        for stream, data in (("stdout", r.out), ("stderr", r.err)):
            try:
                s = data.decode("utf-8")
            except UnicodeDecodeError as e:
                found.append(f"{name} {stream}: invalid UTF-8 at byte "
                             f"{e.start}")
                continue
            m = RAW_FORBIDDEN.search(s)
            if m:
                found.append(f"{name} {stream}: raw U+{ord(m.group()):04X}")
    return found


# ----------------------------------------------------------------- rules

class Verdict:
    """The outcome of one case in one mode."""

    def __init__(self, case, mode):
        self.case = case
        self.mode = mode
        self.outcome = None   # agree | justified | unjustified | unchecked
        self.why = ""
        self.detail = []

    def set(self, outcome, why, *detail):
        # the worst outcome wins
        rank = {"agree": 0, "unasked": 1, "unchecked": 2, "justified": 3,
                "unjustified": 4}
        if self.outcome is None or rank[outcome] >= rank[self.outcome]:
            self.outcome, self.why = outcome, why
        self.detail += list(detail)


def stricter_reason(case, mode, obj):
    """The named reason a refusal of what sshd takes is justified, or
    None."""
    reason = obj.get("reason") if obj else None
    if case.weak:
        return "weak"
    if case.kind == "pubpriv" and reason == "private_key":
        return "private_material"
    if mode == "paste" and case.multi_key:
        return "one_key_per_paste"
    if case.name.endswith("/two-keys-one-line"):
        return "key_in_comment"
    # keys parted by a bare CR only: sshd reads one line, the second key
    # part of the first one's comment
    if (mode == "file" and case.multi_key and
            b"\n" not in case.text.rstrip(b"\r\n")):
        return "key_in_comment"
    tag = case.name.split("/")[-1]
    if case.name.split("/")[1] == "comment" and tag in CONTROL_COMMENTS:
        return "control_in_comment"
    return None


def judge_public(case, ours, judge, v_paste, v_file):
    key = case.key
    loginable = key.can_login()

    def sshd_says():
        return judge.login(case.text, key) if loginable else None

    # ---- paste mode
    p = ours.paste
    obj = p.objs[0] if len(p.objs) == 1 else None
    if obj is None or p.rc not in (0, 1):
        v_paste.set("unjustified", "tool_error",
                    f"rc={p.rc}, {len(p.objs)} JSON objects")
    elif accepted(obj):
        judge_paste_accepted(case, obj, judge, sshd_says, v_paste)
    else:
        judge_refusal(case, "paste", obj, sshd_says, v_paste)

    # ---- file mode: the text as an authorized_keys / .pub file
    f = ours.file
    if f.rc not in (0, 1) or not f.json_ok:
        v_file.set("unjustified", "tool_error", f"rc={f.rc}")
        return
    good = [o for o in f.objs if accepted(o)]
    if case.weak and good:
        v_file.set("unjustified", "weak_accepted", case.weak)
        return
    if f.rc == 0:
        s = sshd_says()
        fps = {o.get("fingerprint") for o in good}
        if s is False and key.fingerprint not in fps and fps:
            v_file.set("justified", "another_key", *sorted(fps))
        elif s is False and case.name.endswith("/from-elsewhere"):
            v_file.set("justified", "option_policy")
        elif s is False:
            v_file.set("unjustified", "file_fine_sshd_refuses" if
                       case.fmt == "line" else "block_file_fine_sshd_refuses",
                       "exit 0, but sshd refuses the file as written")
        elif s is None:
            v_file.set("unchecked", "login_failed_to_run")
        else:
            v_file.set("agree", "both_accept")
        check_file_as_written(case, f.objs, sshd_says, v_file)
        if case.kind == "pubpriv":
            v_file.set("unjustified", "private_material_accepted")
    else:
        refused = [o for o in f.objs if not accepted(o)]
        # of a public key followed by a private one, the private part
        private = [o for o in refused if o.get("reason") == "private_key"]
        judge_refusal(case, "file", (private or refused or [None])[0],
                      sshd_says, v_file)
        check_file_as_written(case, f.objs, sshd_says, v_file)


def first_refusal(objs):
    return next((o for o in objs if not accepted(o)), None)


def as_written(obj):
    """The report's claim: does sshd read the text as given?  None when
    the report does not say (no field yet, or null: does not apply)."""
    v = obj.get("as_written")
    return v if isinstance(v, bool) else None


POLICY_OPTIONS = ("/from-elsewhere", "/expired")


def compare_as_written(case, claim, sshd, other_fps, v, implied=False):
    """A claim that sshd reads the text as given, against a login with it.
    sshd reads a line and still refuses this login when the key is another
    (damage made another valid key) or when its options refuse it."""
    if sshd is None:
        v.set("unchecked", "login_failed_to_run")
    elif claim == sshd:
        v.set("agree", "as_written_right" if not implied else
              "accepted_as_written")
    elif claim and other_fps:
        v.set("justified", "another_key", *sorted(other_fps))
    elif claim and case.name.endswith(POLICY_OPTIONS):
        v.set("justified", "option_policy")
    elif claim and case.weak:
        # sshd reads the line; OpenSSL then refuses the key (e >= n)
        v.set("justified", "weak", "sshd reads the line, cannot use the key")
    elif implied:
        v.set("unjustified", "false_green",
              "accepted with no repair, sshd refuses the text as written")
    else:
        v.set("unjustified", "as_written_wrong",
              f"as_written={claim}, sshd {'accepts' if sshd else 'refuses'}")


def check_file_as_written(case, objs, sshd_says, v):
    """File mode: any line that says sshd reads it, against the login."""
    claims = [as_written(o) for o in objs if as_written(o) is not None]
    if not claims:
        # a claim is needed only where a line is called fine
        if any(accepted(o) and (o.get("repairs") or case.fmt != "line")
               for o in objs):
            v.set("unchecked", "as_written_absent")
        return
    if not (case.key and case.key.can_login()):
        return
    fps = {o.get("fingerprint") for o in objs} - \
        {case.key.fingerprint, None}
    compare_as_written(case, any(claims), sshd_says(), fps, v)


def judge_paste_accepted(case, obj, judge, sshd_says, v):
    key = case.key
    if case.kind == "pubpriv":
        v.set("unjustified", "private_material_accepted")
        return
    if case.weak:
        v.set("unjustified", "weak_accepted", case.weak)
        return
    fp = obj.get("fingerprint")
    other = {fp} if fp != key.fingerprint else set()
    # the line the server stores must let the key in
    stored = obj.get("key")
    if stored and key.can_login() and not other:
        if judge.login((stored + "\n").encode(), key) is False:
            v.set("unjustified", "stored_line_refused",
                  "sshd refuses the normalised line")
    claim = as_written(obj)
    # no repair, no warning, a plain line: that says "as written" too
    implied = claim is None and not obj.get("repairs") and \
        not obj.get("warnings") and case.fmt == "line"
    if claim is None and not implied:
        s = sshd_says()
        v.set("unchecked", "as_written_absent",
              f"sshd {'accepts' if s else 'refuses'} the text as written")
        return
    compare_as_written(case, True if implied else claim, sshd_says(), other,
                       v, implied)


def judge_refusal(case, mode, obj, sshd_says, v):
    """We refuse.  sshd is asked only when it may take the text: a weak
    key, a forged one, or damage it is known to shrug off."""
    ask = case.key and case.key.can_login() and \
        (case.weak or case.sshd_hint or case.kind == "pubpriv")
    s = sshd_says() if ask else None
    reason = obj.get("reason") if obj else None
    if case.kind == "pubpriv" and reason != "private_key":
        v.set("unjustified", "private_material_not_refused",
              f"reason {reason}")
        return
    if not ask:
        v.set("unasked", "both_refuse_unasked" if not case.weak else
              "weak_refused")
        return
    if s is None:
        v.set("unchecked", "login_failed_to_run")
    elif s is False:
        v.set("agree", "both_refuse")
    else:
        why = stricter_reason(case, mode, obj)
        if why:
            v.set("justified", why, f"reason {reason}; sshd lets it in")
        else:
            v.set("unjustified", "false_red",
                  f"refused ({reason}) but sshd uses it as written")


def judge_private(case, ours, judge, tmpdir, v_paste, v_file):
    p = ours.paste
    obj = p.objs[0] if len(p.objs) == 1 else None
    if obj is None or obj.get("reason") != "private_key":
        v_paste.set("unjustified", "private_not_refused",
                    f"reason {obj.get('reason') if obj else None}")
    else:
        v_paste.set("agree", "private_refused")

    f = ours.file
    if f.rc not in (0, 1) or not f.json_ok or not f.objs:
        v_file.set("unjustified", "tool_error", f"rc={f.rc}")
        return
    fit = f.rc == 0 and all(accepted(o) for o in f.objs)
    absurd = "absurd" in case.fmt
    if absurd and not fit:
        v_file.set("unasked", "refused_unasked")
        return
    path = os.path.join(tmpdir, "case")
    loads, said = ssh_loads(path, case.key, case.passphrase,
                            3 if absurd else 20)
    # ssh loads it: does a login with it work?  (ssh -i cannot be given a
    # passphrase in batch mode: for those, loading is the answer)
    logs_in = loads
    if loads and not case.passphrase:
        logs_in = judge.login((case.key.line() + "\n").encode(), case.key,
                              path)
    refusal = first_refusal(f.objs) or {}
    reason = refusal.get("reason")
    message = refusal.get("message") or ""
    warnings = " ".join(w for o in f.objs for w in o.get("warnings") or [])
    if fit and not loads and case.passphrase and \
            "is protected by a passphrase" in warnings and \
            "was not checked" in warnings:
        v_file.set("justified", "encrypted_unchecked", said[:200])
    elif fit and not loads:
        v_file.set("unjustified", "fit_but_ssh_cannot_load", said[:200])
    elif fit and logs_in is False:
        v_file.set("unjustified", "fit_but_login_fails")
    elif loads and logs_in is False:
        v_file.set("agree", "both_refuse", "ssh loads it, the login fails")
    elif fit and case.weak:
        v_file.set("unjustified", "weak_fit", case.weak)
    elif fit:
        v_file.set("agree", "fit_and_loads")
    elif not loads:
        v_file.set("agree", "both_refuse")
    elif case.weak:
        v_file.set("justified", "weak", f"reason {reason}")
    elif reason == "private_key" and not case.fmt.startswith("openssh"):
        v_file.set("justified", "private_format", f"reason {reason}")
    elif reason == "unsupported_type" and case.passphrase and \
            "passphrase-protected key in PEM or PKCS#8" in message:
        v_file.set("justified", "encrypted_unverifiable", f"reason {reason}")
    elif reason == "malformed" and \
            "numbers of its private key do not agree" in message:
        v_file.set("justified", "damaged_numbers", f"reason {reason}")
    else:
        v_file.set("unjustified", "false_red",
                   f"refused ({reason}) but ssh loads it: {said[:100]}")


# ------------------------------------------------------------------ main

def main():
    # a test harness that gives up sends SIGTERM: stop sshd on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    tmp = sys.argv[1]
    seed = int(os.environ.get("VHKEY_ORACLE_SEED", "10"))
    lanes_n = int(os.environ.get("VHKEY_ORACLE_LANES", "3"))
    vhkeycheck = env("VHKEYCHECK")
    tools = {"ssh-keygen": env("SSH_KEYGEN"), "puttygen": env("PUTTYGEN"),
             "openssl": env("OPENSSL")}
    t0 = time.time()
    keydir = os.path.join(tmp, "keys")
    os.mkdir(keydir, 0o700)
    keys, cases = corpus.build(keydir, seed, tools)
    t_corpus = time.time() - t0
    # for work on the oracle itself: every Nth case only, or the cases
    # whose names hold a string
    cases = cases[::int(os.environ.get("VHKEY_ORACLE_EVERY", "1"))]
    only = os.environ.get("VHKEY_ORACLE_ONLY")
    if only:
        cases = [c for c in cases if only in c.name]
    print(f"oracle: seed {seed}, {len(keys)} keys, {len(cases)} cases "
          f"(corpus made in {t_corpus:.1f}s)", flush=True)
    windows = secret_windows([c for c in cases if c.secrets])

    sshd = Sshd(tmp, lanes_n)
    lanes = []
    try:
        lanes = [Lane(sshd, i, tmp) for i in range(lanes_n)]
        judge = Judge(lanes)
        results = run_all(cases, tmp, vhkeycheck, judge, windows)
    finally:
        for lane in lanes:
            lane.agent.close()
        sshd.stop()
    return report(cases, results, judge, time.time() - t0, sshd)


def one_case(i, case, tmp, vhkeycheck, judge, windows):
    d = os.path.join(tmp, "cases", f"{i:05d}")
    os.makedirs(d)
    path = os.path.join(d, "case")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(case.text)
    # The text output is read for bytes it must not hold; a byte we did
    # not choose can come only from the input.
    ours = Ours(d, vhkeycheck, bool(case.secrets) or risky_input(case.text))
    v_paste, v_file = Verdict(case, "paste"), Verdict(case, "file")
    if case.kind == "private":
        judge_private(case, ours, judge, d, v_paste, v_file)
    else:
        judge_public(case, ours, judge, v_paste, v_file)
    extra = Verdict(case, "output")
    if case.secrets:
        found = leaks(ours, windows.get(case.key.id, ()))
        if found:
            extra.set("unjustified", "private_text_in_output", *found)
    found = raw_controls(ours)
    if found:
        extra.set("unjustified", "raw_control_in_output", *found)
    return case, ours, [v_paste, v_file, extra]


def run_all(cases, tmp, vhkeycheck, judge, windows):
    os.mkdir(os.path.join(tmp, "cases"))
    workers = int(os.environ.get("VHKEY_ORACLE_JOBS", "4"))
    ex = concurrent.futures.ThreadPoolExecutor(workers)
    try:
        futs = [ex.submit(one_case, i, c, tmp, vhkeycheck, judge, windows)
                for i, c in enumerate(cases)]
        return [f.result() for f in futs]
    finally:
        # on an error or a signal, drop the cases not started
        ex.shutdown(wait=False, cancel_futures=True)


def show_bytes(b, limit=600):
    s = b[:limit].decode("utf-8", "backslashreplace")
    s = "".join(ch if ch.isprintable() or ch == "\n" else
                "\\x%02x" % ord(ch) if ord(ch) < 256 else
                "\\u%04x" % ord(ch) for ch in s)
    return s + ("..." if len(b) > limit else "")


def report(cases, results, judge, elapsed, sshd):
    table = collections.Counter()
    unjust = []
    unchecked = collections.Counter()
    for case, ours, vs in results:
        for v in vs:
            if v.outcome is None:
                continue
            table[(v.outcome, v.why)] += 1
            if v.outcome == "unjustified":
                unjust.append((case, ours, v))
            if v.outcome == "unchecked":
                unchecked[v.why] += 1
    total = collections.Counter()
    for (o, _), n in table.items():
        total[o] += n
    print()
    print(f"cases: {len(cases)}  (public "
          f"{sum(c.kind == 'public' for c in cases)}, private "
          f"{sum(c.kind == 'private' for c in cases)}, public+private "
          f"{sum(c.kind == 'pubpriv' for c in cases)}); "
          f"verdicts judged: {sum(total.values())} "
          f"(paste, file, output of each case)")
    print(f"logins to sshd: {judge.logins} ({judge.login_time:.1f}s in all "
          f"lanes); time {elapsed:.1f}s")
    print()
    print(f"{'outcome':<12} {'why':<34} {'count':>6}")
    for (o, why), n in sorted(table.items()):
        print(f"{o:<12} {why:<34} {n:>6}")
    print()
    for o in ("agree", "unasked", "justified", "unchecked", "unjustified"):
        print(f"{o:<12} {total[o]:>6}")
    print()
    print("justified disagreements, by reason:")
    for (o, why), n in sorted(table.items()):
        if o == "justified":
            print(f"  {why:<22} {n:>5}  {JUSTIFIED[why]}")
    if unchecked:
        print("not yet checked (the report lacks what the rule needs):")
        for why, n in unchecked.items():
            print(f"  {why:<22} {n:>5}")
        for case, _, vs in results:
            for v in vs:
                if v.outcome == "unchecked":
                    print(f"  unchecked   {v.mode:<6} {v.why:<28} "
                          f"{case.name}")
    print()
    print(f"unjustified disagreements: {len(unjust)}")
    for case, _, v in unjust:
        print(f"  UNJUSTIFIED {v.mode:<6} {v.why:<28} {case.name}")
    if unjust:
        print()
        print("details of the unjustified disagreements:")
        for case, ours, v in unjust:
            print(f"--- {case.name} [{v.mode}] {v.why}")
            if case.weak:
                print(f"    weak: {case.weak}")
            for d in v.detail:
                print(f"    {show_bytes(str(d).encode())}")
            print(f"    text: {show_bytes(case.text, 300)}")
            for name, r in ours.runs().items():
                if v.mode != "output" and not name.startswith(v.mode):
                    continue
                print(f"    {name}: rc={r.rc}")
                print("      out: " + show_bytes(r.out).replace(
                    "\n", "\n           "))
                if r.err:
                    print("      err: " + show_bytes(r.err).replace(
                        "\n", "\n           "))
    return 1 if unjust else 0


if __name__ == "__main__":
    sys.exit(main())
