"""The oracle's corpus: fresh keys made by the real tools (ssh-keygen,
puttygen, openssl) in a temporary directory, and the texts people paste or
keep in files, built from them.  The choice of cases and of every damage
follows a seeded random generator: the same seed gives the same cases
(with fresh keys).

A case is one text and what we know about it: which key it holds and how
to log in with that key, whether the key is weak (and why), and which
parts of it are private material that no output may repeat.
"""

import base64
import hashlib
import json
import os
import random
import subprocess

import agent
from agent import mpint, sstr

# ------------------------------------------------------------------ model


class Key:
    """One public key and the means to log in with it."""

    def __init__(self, kid, ktype, blob, comment=""):
        self.id = kid
        self.type = ktype
        self.blob = blob
        self.b64 = base64.b64encode(blob).decode()
        self.comment = comment
        self.ssh_identity = None   # path of a private key file for ssh -i
        self.agent_identity = None  # agent.Identity, when ssh -i cannot
        self.weak = None           # why the key is weak, or None
        self.forged = False        # the agent forges: no private key at all
        self.extra = {}            # other encodings: rfc4716, spki, ...

    @property
    def fingerprint(self):
        d = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(d).decode().rstrip("=")

    def line(self, comment=None):
        c = self.comment if comment is None else comment
        return f"{self.type} {self.b64}" + (f" {c}" if c else "")

    def can_login(self):
        return self.ssh_identity is not None or \
            self.agent_identity is not None


class Case:
    def __init__(self, name, text, kind, key=None, fmt="line"):
        self.name = name
        self.text = text if isinstance(text, bytes) else text.encode()
        self.kind = kind    # public | private | pubpriv (private as comment)
        self.key = key
        self.fmt = fmt
        self.weak = key.weak if key is not None else None
        self.secrets = []   # private text: no 16-char run of it in output
        self.passphrase = None  # for ssh-keygen -y on a private key file
        self.sshd_hint = False  # sshd may take it even though we refuse
        self.multi_key = False  # more than one key in the text


# --------------------------------------------------------------- helpers


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw)


class Maker:
    """Makes keys with the real tools in `tmp`."""

    def __init__(self, tmp, rng, tools):
        self.tmp = tmp
        self.rng = rng
        self.tools = tools
        self.n = 0

    def path(self, stem):
        self.n += 1
        return os.path.join(self.tmp, f"k{self.n:03d}-{stem}")

    def ssh_keygen(self, kid, ktype, bits=None, comment=None,
                   passphrase="", rounds=None):
        p = self.path(kid)
        args = [self.tools["ssh-keygen"], "-q", "-t", ktype, "-N",
                passphrase, "-f", p, "-C", comment or f"{kid}@oracle"]
        if bits:
            args += ["-b", str(bits)]
        if rounds:
            args += ["-a", str(rounds)]
        run(args)
        t, b64, *c = open(p + ".pub").read().split(" ", 2)
        key = Key(kid, t, base64.b64decode(b64),
                  c[0].rstrip("\n") if c else "")
        key.ssh_identity = p
        key.private_path = p
        key.passphrase = passphrase
        return key

    def export(self, key, fmt):
        r = run([self.tools["ssh-keygen"], "-e", "-m", fmt, "-f",
                 key.private_path + ".pub"])
        return r.stdout.decode()

    def convert_private(self, key, fmt):
        """The same private key rewritten by ssh-keygen in another format."""
        p = self.path(key.id + "-" + fmt)
        with open(key.private_path, "rb") as src, \
                open(os.open(p, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as d:
            d.write(src.read())
        run([self.tools["ssh-keygen"], "-q", "-p", "-m", fmt, "-P",
             key.passphrase, "-N", key.passphrase, "-f", p])
        return open(p).read()

    def openssl(self, args, data=None):
        return run([self.tools["openssl"]] + args, input=data).stdout

    def puttygen(self, key, out_type, version=None, passphrase=None):
        p = self.path(key.id + "-" + out_type)
        args = [self.tools["puttygen"], key.private_path, "-O", out_type,
                "-o", p]
        if version:
            args += ["--ppk-param", f"version={version}"]
        if passphrase is not None:
            pf = p + ".pass"
            with open(pf, "w") as f:
                f.write(passphrase)
            args += ["--new-passphrase", pf]
        run(args)
        return open(p).read()

    def prime(self, bits):
        return int(self.openssl(["prime", "-generate", "-bits",
                                 str(bits)]).decode().strip())


# ------------------------------------------------------------------- keys


def rsa_blob(n, e):
    return sstr("ssh-rsa") + mpint(e) + mpint(n)


def weak_rsa_key(kid, n, e, d, why, comment=None):
    key = Key(kid, "ssh-rsa", rsa_blob(n, e), comment or kid)
    key.weak = why
    if d is not None:
        key.agent_identity = agent.rsa_identity(n, e, d)
    return key


def inverse(a, m):
    try:
        return pow(a, -1, m)
    except ValueError:
        return None


def is_probable_prime(n, rng):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(20):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def next_prime(n, rng):
    n |= 1
    while not is_probable_prime(n, rng):
        n += 2
    return n


def make_weak_rsa(mk):
    """RSA keys anyone can break, each with a private exponent that works
    (where one exists), so that sshd can be shown to accept the login."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    rng = mk.rng
    keys = []
    e = 65537

    p = mk.prime(2048)
    keys.append(weak_rsa_key("rsa-prime-2048", p, e, inverse(e, p - 1),
                             "the modulus is a prime"))
    p = mk.prime(683)
    keys.append(weak_rsa_key("rsa-cube", p**3, e,
                             inverse(e, p * p * (p - 1)), "n = p^3"))
    p = mk.prime(1024)
    keys.append(weak_rsa_key("rsa-square", p**2, e,
                             inverse(e, p * (p - 1)), "n = p^2"))
    primes = set()
    while len(primes) < 32:
        primes.add(next_prime(rng.getrandbits(64) | (1 << 63), rng))
    n, phi = 1, 1
    for q in primes:
        n, phi = n * q, phi * (q - 1)
    # 32 such primes make n a little under 2048 bits, so the size alone
    # refuses it.  With 33 (over 2048 bits) libvhkey accepts it today:
    # Pollard's p - 1 misses 64-bit factors, which take ECM (issue 10's
    # open gap, see bench/README.md); no case here pretends otherwise.
    keys.append(weak_rsa_key("rsa-32-primes", n, e, inverse(e, phi),
                             "n is a product of 32 primes of 64 bits"))
    q = mk.prime(2032)
    keys.append(weak_rsa_key("rsa-factor-65537", 65537 * q, 3,
                             inverse(3, 65536 * (q - 1)),
                             "65537 divides n"))
    q = mk.prime(2046)
    keys.append(weak_rsa_key("rsa-factor-3", 3 * q, e,
                             inverse(e, 2 * (q - 1)), "3 divides n"))

    # sound moduli, broken exponents; a modulus for which e = 3 works too
    while True:
        priv = rsa.generate_private_key(public_exponent=65537,
                                        key_size=2048)
        nums = priv.private_numbers()
        p, q, n = nums.p, nums.q, nums.public_numbers.n
        phi = (p - 1) * (q - 1)
        if phi % 3:
            break
    keys.append(weak_rsa_key("rsa-e1", n, 1, 1, "e = 1"))
    keys.append(weak_rsa_key("rsa-e-even", n, 65538, None, "e is even"))
    keys.append(weak_rsa_key("rsa-e-ge-n", n, n + 2,
                             inverse(n + 2, phi), "e >= n"))
    d = rng.getrandbits(200) | (1 << 199) | 1
    while inverse(d, phi) is None:
        d += 2
    keys.append(weak_rsa_key("rsa-wiener", n, inverse(d, phi), d,
                             "small d (Wiener): huge e"))
    # Fermat: primes too close together
    p = mk.prime(1024)
    q = next_prime(p + (1 << 40), rng)
    keys.append(weak_rsa_key("rsa-close-primes", p * q, e,
                             inverse(e, (p - 1) * (q - 1)),
                             "primes close enough for Fermat's method"))

    # the controls: nothing weak, signed by the agent the same way
    keys.append(weak_rsa_key("rsa-e3", n, 3, inverse(3, phi), None))
    keys.append(weak_rsa_key("rsa-agent-control", n, 65537, nums.d, None))
    return keys


def make_small_order_ed25519():
    keys = []
    for i, enc in enumerate(agent.small_order_encodings()):
        order = agent.point_order(agent.decode_point(enc))
        for sk in (False, True):
            ident = agent.forged_ed25519_identity(enc, sk)
            t = "sk-ssh-ed25519@openssh.com" if sk else "ssh-ed25519"
            kid = f"{'sk-' if sk else ''}ed25519-order{order}-{enc.hex()[:4]}" \
                  f"{enc.hex()[-2:]}"
            key = Key(kid, t, ident.blob, "")
            key.weak = f"Ed25519 point of order {order}"
            key.agent_identity = ident
            key.forged = True
            keys.append(key)
    return keys


def make_small_scalar_ecdsa():
    """ECDSA points k * G with a small k: k is the private key.  ssh will
    not load such a private key, so the agent signs; sshd takes them."""
    from cryptography.hazmat.primitives.asymmetric import ec
    keys = []
    for kid, curve, k in (("ecdsa-generator", ec.SECP256R1(), 1),
                          ("ecdsa-384-k1024", ec.SECP384R1(), 1024),
                          ("ecdsa-521-k2", ec.SECP521R1(), 2),
                          ("ecdsa-agent-control", ec.SECP256R1(), None)):
        priv = ec.generate_private_key(curve) if k is None else \
            ec.derive_private_key(k, curve)
        ident = agent.ecdsa_identity(priv)
        t = agent.Reader(ident.blob).string().decode()
        key = Key(kid, t, ident.blob, kid)
        key.agent_identity = ident
        key.weak = None if k is None else \
            f"ECDSA point {k} * G: its private key is {k}"
        keys.append(key)
    return keys


def make_bad_ecdsa(rng):
    pt = b"\x04" + bytes(rng.getrandbits(8) for _ in range(64))
    blob = sstr("ecdsa-sha2-nistp256") + sstr("nistp256") + sstr(pt)
    key = Key("ecdsa-off-curve", "ecdsa-sha2-nistp256", blob, "off-curve")
    key.weak = "ECDSA point not on the curve"
    return key


def make_sk_keys():
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    k1 = ed25519.Ed25519PrivateKey.generate()
    i1 = agent.sk_ed25519_identity(k1)
    a = Key("sk-ed25519", "sk-ssh-ed25519@openssh.com", i1.blob, "sk@oracle")
    a.agent_identity = i1
    k2 = ec.generate_private_key(ec.SECP256R1())
    i2 = agent.sk_ecdsa_identity(k2)
    b = Key("sk-ecdsa", "sk-ecdsa-sha2-nistp256@openssh.com", i2.blob,
            "sk-ecdsa@oracle")
    b.agent_identity = i2
    return [a, b]


def make_pyca_ed25519(mk):
    """An Ed25519 key made by OpenSSL (through pyca): the only way to its
    PKCS#8 and SubjectPublicKeyInfo forms, which ssh-keygen does not
    write."""
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric import ed25519
    k = ed25519.Ed25519PrivateKey.generate()
    p = mk.path("ed25519-pyca")
    with open(os.open(p, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
        f.write(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.OpenSSH,
                                s.NoEncryption()))
    pub = k.public_key()
    line = pub.public_bytes(s.Encoding.OpenSSH, s.PublicFormat.OpenSSH)
    with open(p + ".pub", "wb") as f:
        f.write(line + b" pyca@oracle\n")
    key = Key("ed25519-pyca", "ssh-ed25519",
              base64.b64decode(line.split()[1]), "pyca@oracle")
    key.ssh_identity = p
    key.private_path = p
    key.passphrase = ""
    key.extra["spki"] = pub.public_bytes(
        s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo).decode()
    key.extra["pkcs8"] = k.private_bytes(
        s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode()
    key.extra["pkcs8-enc"] = k.private_bytes(
        s.Encoding.PEM, s.PrivateFormat.PKCS8,
        s.BestAvailableEncryption(b"oracle-pass")).decode()
    return key


def make_keys(mk):
    """Every key of the corpus; normal keys first."""
    keys = []
    comments = [None, "alice@laptop", "", "bob with spaces in comment",
                "user@host.example", "\u00e9l\u00e8ve@\u00e9cole"]
    for i, c in enumerate(comments):
        k = mk.ssh_keygen(f"ed25519-{i}", "ed25519", comment=c)
        if c == "":
            k.comment = ""
        keys.append(k)
    for i in range(4):
        keys.append(mk.ssh_keygen(f"rsa2048-{i}", "rsa", 2048))
    for i in range(2):
        keys.append(mk.ssh_keygen(f"rsa4096-{i}", "rsa", 4096))
    for bits in (256, 384, 521):
        keys.append(mk.ssh_keygen(f"ecdsa{bits}", "ecdsa", bits))
    k = mk.ssh_keygen("rsa1024", "rsa", 1024)
    k.weak = "RSA 1024 bits, below the 2048-bit minimum"
    keys.append(k)
    keys.append(make_pyca_ed25519(mk))
    keys += make_sk_keys()
    for k in keys:
        if k.ssh_identity and k.type.startswith(("ssh-", "ecdsa-")):
            k.extra["rfc4716"] = mk.export(k, "RFC4716")
            if k.type != "ssh-ed25519":
                k.extra["spki"] = mk.export(k, "PKCS8")
            if k.type == "ssh-rsa":
                k.extra["pkcs1"] = mk.export(k, "PEM")
        if k.ssh_identity and k.id != "ed25519-pyca" and \
                k.type in ("ssh-ed25519", "ssh-rsa"):
            k.extra["putty-pub"] = mk.puttygen(k, "public")
    return keys


# -------------------------------------------------------- private texts


def private_texts(mk, keys):
    """(name, key, text, passphrase) for private keys of every kind."""
    by_id = {k.id: k for k in keys}
    out = []
    ed, rsa_, ec = by_id["ed25519-1"], by_id["rsa2048-0"], by_id["ecdsa256"]
    for k in (ed, rsa_, ec, by_id["rsa1024"], by_id["rsa4096-0"]):
        out.append(("openssh", k, open(k.private_path).read(), ""))
    enc = mk.ssh_keygen("ed25519-enc", "ed25519", passphrase="oracle-pass")
    keys.append(enc)
    out.append(("openssh-enc", enc, open(enc.private_path).read(),
                "oracle-pass"))
    enc_rsa = mk.ssh_keygen("rsa-enc", "rsa", 2048, passphrase="oracle-pass")
    keys.append(enc_rsa)
    out.append(("openssh-enc", enc_rsa, open(enc_rsa.private_path).read(),
                "oracle-pass"))
    out.append(("openssh-enc-absurd-rounds", enc,
                absurd_rounds(open(enc.private_path).read()), "oracle-pass"))
    for k in (rsa_, ec):
        out.append(("pem", k, mk.convert_private(k, "PEM"), ""))
        out.append(("pkcs8", k, mk.convert_private(k, "PKCS8"), ""))
    pem = mk.convert_private(rsa_, "PEM").encode()
    out.append(("pem-enc", rsa_, mk.openssl(
        ["rsa", "-aes256", "-traditional", "-passout", "pass:oracle-pass"],
        pem).decode(), "oracle-pass"))
    out.append(("pkcs8-enc", rsa_, mk.openssl(
        ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout",
         "pass:oracle-pass"], pem).decode(), "oracle-pass"))
    pyca = by_id["ed25519-pyca"]
    out.append(("pkcs8", pyca, pyca.extra["pkcs8"], ""))
    out.append(("pkcs8-enc", pyca, pyca.extra["pkcs8-enc"], "oracle-pass"))
    for k in (ed, rsa_):
        out.append(("ppk3", k, mk.puttygen(k, "private"), ""))
        out.append(("ppk2", k, mk.puttygen(k, "private", version=2), ""))
        out.append(("ppk3-enc", k, mk.puttygen(k, "private",
                                              passphrase="oracle-pass"),
                    "oracle-pass"))
    out.append(("sshcom", rsa_, mk.puttygen(rsa_, "private-sshcom"), ""))
    return out


def b64url(n):
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


OPENSSL_PRIVATE_LABELS = ("privateExponent:", "prime1:", "prime2:",
                          "exponent1:", "exponent2:", "coefficient:",
                          "priv:")


def openssl_text_secrets(text):
    """The hex lines of the private numbers in `openssl pkey -text`."""
    out, private = [], False
    for line in text.split("\n"):
        if line and not line[0].isspace():
            private = line.strip() in OPENSSL_PRIVATE_LABELS
        elif private and line.strip():
            out.append(line.strip())
    return out


def disguised_private_cases(ptexts, mk):
    """Private keys in the forms that are not PEM at all: the DER bytes
    raw and in hex, and a JWK.  Pasted, each must be refused as
    private_key; no tool reads them as key files."""
    from cryptography.hazmat.primitives import serialization
    cases = []
    for fmt, key, text, pw in ptexts:
        if pw or fmt not in ("pem", "pkcs8"):
            continue
        der = base64.b64decode("".join(secret_lines(text)))
        hexed = der.hex()
        hex_lines = [hexed[i:i + 64] for i in range(0, len(hexed), 64)]
        forms = {"der-hex": ("\n".join(hex_lines) + "\n", hex_lines),
                 "der-raw": (der, [])}
        # what `openssl pkey -text` prints: the numbers in hex
        dump = mk.openssl(["pkey", "-text", "-noout"],
                          text.encode()).decode()
        forms["openssl-text"] = (dump, openssl_text_secrets(dump))
        priv = serialization.load_pem_private_key(text.encode(), None)
        if hasattr(priv, "private_numbers") and key.type == "ssh-rsa":
            nums = priv.private_numbers()
            pub = nums.public_numbers
            jwk = {"kty": "RSA", "n": b64url(pub.n), "e": b64url(pub.e),
                   "d": b64url(nums.d), "p": b64url(nums.p),
                   "q": b64url(nums.q), "dp": b64url(nums.dmp1),
                   "dq": b64url(nums.dmq1), "qi": b64url(nums.iqmp)}
            forms["jwk"] = (json.dumps(jwk, indent=2) + "\n",
                            [jwk["d"], jwk["p"], jwk["q"]])
        for n, (t, secrets) in forms.items():
            c = Case(f"{key.id}/private-{fmt}/{n}", t, "private", key,
                     f"{fmt}-{n}")
            c.secrets = secrets
            c.passphrase = ""
            c.weak = key.weak
            cases.append(c)
    return cases


def absurd_rounds(text):
    """An encrypted OpenSSH key whose bcrypt rounds say 2^32 - 1."""
    lines = text.strip().split("\n")
    raw = bytearray(base64.b64decode("".join(lines[1:-1])))
    r = agent.Reader(bytes(raw))
    r.pos = 15
    r.string()   # cipher
    r.string()   # kdf
    opts_at = r.pos
    r.u32()
    salt_len = agent.Reader(bytes(raw[opts_at + 4:])).u32()
    at = opts_at + 4 + 4 + salt_len
    raw[at:at + 4] = b"\xff\xff\xff\xff"
    body = base64.b64encode(bytes(raw)).decode()
    wrapped = "\n".join(body[i:i + 70] for i in range(0, len(body), 70))
    return f"{lines[0]}\n{wrapped}\n{lines[-1]}\n"


def secret_lines(text):
    """The lines of a private key text that carry key material: not the
    armour, not the headers, not PuTTY's public lines."""
    out, skip_public = [], 0
    for line in text.replace("\r", "").split("\n"):
        s = line.strip()
        if skip_public:
            skip_public -= 1
            continue
        if s.startswith("Public-Lines:"):
            skip_public = int(s.split(":")[1])
            continue
        if not s or s.startswith(("-----", "---- ")) or ":" in s:
            continue
        out.append(s)
    return out


# ----------------------------------------------------------- public damage

ZW = {"zwsp": "\u200b", "zwnbsp": "\ufeff", "zwj": "\u200d",
      "shy": "\u00ad", "wj": "\u2060"}
SEP1 = {"tab": "\t", "2sp": "  ", "nbsp": "\u00a0", "sp-nbsp": " \u00a0",
        "ideosp": "\u3000", "thinsp": "\u2009", "tab-sp": "\t "}
SEP2 = {"tab": "\t", "2sp": "  ", "nbsp": "\u00a0", "nbsp-sp": "\u00a0 "}
B64CH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

# damages sshd is known to shrug off, so a refusal by us is worth a login
SSHD_TOLERATES = {"sep1-tab", "sep1-2sp", "sep1-tab-sp", "sep2-tab",
                  "sep2-2sp", "lead-blank", "trail-blank", "no-eol",
                  "lead-sp", "trail-sp", "indent-tab", "dup-line",
                  "hash-line", "crlf", "cr-eol"}


def inject(b64, rng, ch):
    i = rng.randrange(4, len(b64) - 4)
    return b64[:i] + ch + b64[i:]


def b64_damages(rng, b64):
    """name -> damaged base64, each a thing copying and pasting do."""
    d = {f"b64-{n}": inject(b64, rng, c) for n, c in ZW.items()}
    d["b64-space"] = inject(b64, rng, " ")
    d["b64-spaces"] = inject(inject(inject(b64, rng, " "), rng, " "),
                             rng, " ")
    d["b64-newline"] = inject(b64, rng, "\n")
    d["b64-crlf"] = inject(b64, rng, "\r\n")
    d["b64-tab"] = inject(b64, rng, "\t")
    i = rng.randrange(8, len(b64) - 8)
    d["b64-truncated"] = b64[:i]
    d["b64-truncated4"] = b64[:len(b64) // 2 // 4 * 4]
    i = rng.randrange(len(b64) - 2)
    c = rng.choice([x for x in B64CH if x != b64[i]])
    d["b64-flip"] = b64[:i] + c + b64[i + 1:]
    letters = [j for j, x in enumerate(b64[:-2]) if x.isalpha()]
    j = rng.choice(letters)
    d["b64-case"] = b64[:j] + b64[j].swapcase() + b64[j + 1:]
    if b64.endswith("="):
        d["b64-nopad"] = b64.rstrip("=")
    else:
        d["b64-extrapad"] = b64 + "=="
    d["b64-nonb64"] = inject(b64, rng, rng.choice("-_.!*"))
    d["b64-0xaf"] = b64.replace("/", "\u00af", 1) if "/" in b64 else \
        inject(b64, rng, "\u00af")
    return d


def comment_variants():
    """name -> comment, including what terminals must never see raw."""
    return {
        "c-esc": "evil\x1b[2J\x1b]0;pwned\x07",
        "c-bel": "ding\x07dong",
        "c-c1-raw": "c1\u009b31m",       # written as a lone byte below
        "c-c1": "csi\u009b31mred",
        "c-osc": "osc\u009d0;x\u009c",
        "c-bidi": "user\u202eftp.exe",
        "c-isolate": "a\u2066b\u2069c",
        "c-u2028": "line\u2028sep",
        "c-del": "del\x7fete",
        "c-nul": "nul\x00byte",
        "c-backspace": "ok\x08\x08no",
        "c-utf8": "\u00e9t\u00e9 \u65e5\u672c",
        "c-emoji": "key \U0001f511",
        "c-long": "x" * 1000,
        "c-quotes": "\"quoted\" 'single'",
        "c-hash": "# not a comment line",
        "c-cr-inside": "a\rb",
        "c-invalid-utf8": "bad\udcff\udcfebytes",
    }


def encode_text(s):
    """UTF-8, with lone surrogates (\\udcXX) standing for raw bytes XX."""
    return s.encode("utf-8", "surrogateescape")


# authorized_keys options: name -> text.  The first set lets a login from
# 127.0.0.1 through; of the second, sshd refuses some as bad syntax and
# some by policy (another source address, a past expiry).
OPTIONS_OK = {
    "restrict": "restrict", "no-pty": "no-pty",
    "no-fwd": "no-port-forwarding,no-X11-forwarding",
    "command": 'command="true"', "from-here": 'from="127.0.0.1"',
    "from-net": 'from="127.0.0.0/8,::1"',
    "command-quotes": 'command="echo \\"quoted\\"; true"',
    "environment": 'environment="A=b"',
    "expiry-future": 'expiry-time="29991231"',
    "permitopen": 'permitopen="localhost:80"', "restrict-pty": "restrict,pty",
    "no-agent": "no-agent-forwarding", "from-any": 'from="*"',
    "command-no-pty": 'command="true",no-pty', "no-user-rc": "no-user-rc",
    "permitlisten": 'permitlisten="8080"',
    "empty-options": ",no-pty,,restrict,",
    "flags-9.2": "touch-required,no-verify-required",
}
OPTIONS_BAD = {
    "unknown": "bogus-option", "unterminated": 'command="unterminated',
    "empty-option": "no-pty,,restrict", "from-elsewhere": 'from="10.0.0.1"',
    "expired": 'expiry-time="20000101"', "principals": 'principals="x"',
    "unquoted-command": "command=true", "unquoted-from": "from=127.0.0.1",
    "uppercase": "RESTRICT", "bad-tunnel": 'tunnel="abc"',
    "space-in-list": "restrict ,no-pty",
    "env-noequals": 'environment="noequals"',
    # a from= list sshd cannot read: it refuses the key from everywhere
    "from-empty": 'from=""', "from-trailing-comma": 'from="127.0.0.1,"',
    "from-empty-negation": 'from="!,127.0.0.1"',
    "from-host-bits": 'from="127.0.0.1/8"',
    "from-mask-too-long": 'from="127.0.0.0/33"',
    "from-one-bad-net": 'from="127.0.0.1,10.0.0.1/8"',
}


class LineParts:
    """An authorized_keys line taken apart, to damage each part."""

    def __init__(self, key, comment=None):
        self.opts = ""
        self.type = key.type
        self.sep1 = " "
        self.b64 = key.b64
        self.sep2 = " "
        self.comment = key.comment if comment is None else comment
        self.eol = "\n"
        self.before = ""
        self.after = ""

    def text(self):
        s = (self.opts + " " if self.opts else "") + self.type + \
            self.sep1 + self.b64
        if self.comment:
            s += self.sep2 + self.comment
        return self.before + s + self.eol + self.after


def text_damage(name, s, rng):
    """Damage to the text as a whole."""
    if name == "crlf":
        return s.replace("\n", "\r\n")
    if name == "cr-eol":
        return s.replace("\n", "\r")
    if name == "bom":
        return "\ufeff" + s
    if name == "lead-blank":
        return "\n\n" + s
    if name == "trail-blank":
        return s + "\n\n"
    if name == "lead-sp":
        return "   " + s
    if name == "trail-sp":
        return s.rstrip("\n") + "   \n"
    if name == "indent-tab":
        return "\t" + s
    if name == "no-eol":
        return s.rstrip("\n")
    if name.startswith("wrap"):
        w = int(name[4:])
        flat = s.rstrip("\n")
        return "\n".join(flat[i:i + w] for i in range(0, len(flat), w)) + \
            "\n"
    if name == "u2028":
        return s.replace("\n", "\u2028")
    if name == "quoted":
        return '"' + s.rstrip("\n") + '"\n'
    if name == "backticks":
        return "```\n" + s + "```\n"
    if name == "dup-line":
        return s + s
    if name == "hash-line":
        return "# my key\n" + s
    if name == "zw-start":
        return "\u200b" + s
    raise ValueError(name)


TEXT_DAMAGES = ["crlf", "cr-eol", "bom", "lead-blank", "trail-blank",
                "lead-sp", "trail-sp", "indent-tab", "no-eol", "wrap64",
                "wrap70", "wrap76", "wrap80", "u2028", "quoted", "backticks",
                "dup-line", "hash-line", "zw-start"]


def public_line_cases(key, rng, combos):
    """The key's authorized_keys line, clean and with every damage alone,
    then `combos` random mixtures of them."""
    cases = []

    def add(names, parts, text_names=()):
        s = parts.text()
        for t in text_names:
            s = text_damage(t, s, rng)
        name = "+".join(list(names) + list(text_names)) or "clean"
        c = Case(f"{key.id}/line/{name}", encode_text(s), "public", key)
        c.sshd_hint = all(n in SSHD_TOLERATES or n.startswith(("c-", "opt-"))
                          for n in list(names) + list(text_names))
        # more than the one key a paste may be
        c.multi_key = "dup-line" in text_names or "hash-line" in text_names
        cases.append(c)

    add([], LineParts(key))
    p = LineParts(key, "")
    add(["no-comment"], p)
    for n, v in b64_damages(rng, key.b64).items():
        p = LineParts(key)
        p.b64 = v
        add([n], p)
    for n, v in SEP1.items():
        p = LineParts(key)
        p.sep1 = v
        add([f"sep1-{n}"], p)
    for n, v in SEP2.items():
        p = LineParts(key, key.comment or "comment")
        p.sep2 = v
        add([f"sep2-{n}"], p)
    for t in TEXT_DAMAGES:
        add([], LineParts(key), [t])
    p = LineParts(key)
    p.type = key.type.upper()
    add(["type-upper"], p)
    p = LineParts(key)
    p.type = "ssh-rsa" if key.type != "ssh-rsa" else "ssh-ed25519"
    add(["type-mismatch"], p)

    # random mixtures: one part damage or two, and text damage
    part_kinds = list(b64_damages(rng, key.b64).items())
    for _ in range(combos):
        p = LineParts(key, rng.choice([key.comment, "", "c o m m e n t"]))
        names = []
        if rng.random() < 0.6:
            n, v = rng.choice(list(SEP1.items()))
            p.sep1, names = v, names + [f"sep1-{n}"]
        if rng.random() < 0.5:
            n, v = rng.choice(part_kinds)
            p.b64 = b64_damages(rng, key.b64)[n]
            names.append(n)
        if p.comment and rng.random() < 0.4:
            n, v = rng.choice(list(SEP2.items()))
            p.sep2, names = v, names + [f"sep2-{n}"]
        texts = rng.sample(TEXT_DAMAGES, rng.choice([1, 1, 2, 3]))
        add(names, p, texts)
    return cases


def comment_cases(key):
    cases = []
    for n, c in comment_variants().items():
        p = LineParts(key, c)
        s = p.text()
        data = encode_text(s)
        if n == "c-c1-raw":
            # the C1 byte alone, not UTF-8: what a Latin-1 terminal obeys
            data = data.replace("\u009b".encode(), b"\x9b")
        case = Case(f"{key.id}/comment/{n}", data, "public", key)
        case.sshd_hint = True
        cases.append(case)
    return cases


def option_cases(key):
    cases = []
    for tag, opts in (("ok", OPTIONS_OK), ("bad", OPTIONS_BAD)):
        for n, o in opts.items():
            p = LineParts(key)
            p.opts = o
            case = Case(f"{key.id}/options-{tag}/{n}", p.text(), "public",
                        key)
            case.sshd_hint = True
            cases.append(case)
    return cases


def block_damages(text, rng):
    """name -> a block format (RFC 4716, PEM) as pasted or saved badly."""
    d = {"clean": text,
         "crlf": text.replace("\n", "\r\n"),
         "bom": "\ufeff" + text,
         "lead-blank": "\n" + text,
         "indent": "".join("  " + l + "\n" for l in text.splitlines()),
         "no-eol": text.rstrip("\n"),
         "joined": " ".join(text.splitlines()) + "\n",
         "trail-sp": "".join(l + " \n" for l in text.splitlines())}
    lines = text.splitlines()
    body = [i for i, l in enumerate(lines) if l and not l.startswith("-")
            and ":" not in l]
    if body:
        i = body[len(body) // 2]
        lines2 = list(lines)
        lines2[i] = inject(lines2[i], rng, "\u200b") if len(lines2[i]) > 8 \
            else lines2[i] + "\u200b"
        d["zwsp"] = "\n".join(lines2) + "\n"
        lines3 = list(lines)
        lines3[i] = lines3[i][:len(lines3[i]) // 2]
        d["truncated"] = "\n".join(lines3) + "\n"
    return d


def block_cases(key, rng):
    cases = []
    for fmt, text in key.extra.items():
        if fmt in ("pkcs8", "pkcs8-enc"):
            continue
        for n, t in block_damages(text, rng).items():
            cases.append(Case(f"{key.id}/{fmt}/{n}", encode_text(t),
                              "public", key, fmt))
    return cases


def private_damages(text, rng):
    """name -> a private key text as saved or pasted badly."""
    lines = text.rstrip("\n").split("\n")
    body = "".join(l for l in lines if not l.startswith("-") and
                   ":" not in l)
    d = {"clean": text,
         "crlf": text.replace("\n", "\r\n"),
         "no-eol": text.rstrip("\n"),
         "bom": "\ufeff" + text,
         "lead-blank": "\n" + text,
         "trail-blank": text + "\n\n",
         "indent": "".join("  " + l + "\n" for l in lines),
         "trail-sp": "".join(l + " \n" for l in lines),
         "no-first-line": "\n".join(lines[1:]) + "\n",
         "no-armour": "\n".join(l for l in lines
                                if not l.startswith("-")) + "\n",
         "joined": " ".join(lines) + "\n",
         "four-dashes": text.replace("-----", "----"),
         "en-dashes": text.replace("-----", "\u2013\u2013\u2013\u2013\u2013"),
         "lowercase-armour": "\n".join(l.lower() if l.startswith("-")
                                       else l for l in lines) + "\n",
         "utf16": text}
    if lines[0].startswith("-----BEGIN") and len(lines) > 3:
        rewrap = [lines[0]] + [body[i:i + 64] for i in
                               range(0, len(body), 64)] + [lines[-1]]
        d["rewrap64"] = "\n".join(rewrap) + "\n"
        d["one-line-body"] = f"{lines[0]}\n{body}\n{lines[-1]}\n"
        d["truncated"] = "\n".join(lines[:len(lines) // 2]) + "\n"
        mid = len(lines) // 2
        ln = lines[mid]
        i = rng.randrange(len(ln))
        c = rng.choice([x for x in B64CH if x != ln[i]])
        d["flip"] = "\n".join(lines[:mid] + [ln[:i] + c + ln[i + 1:]] +
                              lines[mid + 1:]) + "\n"
    return d


def private_cases(ptexts, rng):
    cases = []
    for fmt, key, text, pw in ptexts:
        for n, t in private_damages(text, rng).items():
            data = t.encode("utf-16") if n == "utf16" else encode_text(t)
            c = Case(f"{key.id}/private-{fmt}/{n}", data, "private", key,
                     fmt)
            c.secrets = secret_lines(text)
            c.passphrase = pw
            c.weak = key.weak
            cases.append(c)
    return cases


def openssl_hex(text, member):
    """A private number of the PEM key `text` in openssl -text's layout:
    lines of 15 bytes joined by ':'."""
    from cryptography.hazmat.primitives import serialization
    nums = serialization.load_pem_private_key(text.encode(),
                                              None).private_numbers()
    v = getattr(nums, member)
    b = v.to_bytes(v.bit_length() // 8 + 1, "big")
    hx = [f"{x:02x}" for x in b]
    return [":".join(hx[i:i + 15]) + ":" for i in range(0, len(hx), 15)]


def pubpriv_cases(ptexts):
    """A public key line with no comment, then the body of a private key,
    as people paste `cat id; cat id.pub` the wrong way round."""
    cases = []
    for fmt, key, text, _ in ptexts:
        if fmt not in ("openssh", "pem", "pkcs8"):
            continue
        lines = text.rstrip("\n").split("\n")
        pub = key.line(comment="")
        variants = {
            "joined": pub + " " + " ".join(lines) + "\n",
            "joined-no-first": pub + " " + " ".join(lines[1:]) + "\n",
            "joined-body-only": pub + " " + "".join(
                l for l in lines if not l.startswith("-")) + "\n",
            "next-lines": pub + "\n" + text,
            "next-lines-no-first": pub + "\n" + "\n".join(lines[1:]) + "\n",
            "first-line-only": pub + " " + lines[1] + "\n",
        }
        secrets = {n: secret_lines(text) for n in variants}
        if fmt == "pem" and key.type == "ssh-rsa":
            # its private exponent as openssl -text prints it; an EC
            # scalar (64 digits) is as short as a hash, and passes
            lines = openssl_hex(text, "d")
            variants["openssl-d-comment"] = pub + " " + " ".join(lines) + \
                "\n"
            secrets["openssl-d-comment"] = lines
        for n, t in variants.items():
            c = Case(f"{key.id}/pub+{fmt}/{n}", t, "pubpriv", key, fmt)
            c.secrets = secrets[n]
            c.sshd_hint = True
            cases.append(c)
    return cases


def multi_key_cases(keys):
    a, b = keys[0], keys[1]
    out = []
    for n, t in {"two-keys": a.line() + "\n" + b.line() + "\n",
                 "two-keys-one-line": a.line() + " " + b.line() + "\n"
                 }.items():
        c = Case(f"{a.id}/{n}", t, "public", a)
        c.multi_key = True
        c.sshd_hint = True
        out.append(c)
    return out


def build(tmp, seed, tools, combos=16):
    """All the cases, and the keys they use."""
    rng = random.Random(seed)
    mk = Maker(tmp, rng, tools)
    keys = make_keys(mk)
    weak = make_weak_rsa(mk) + make_small_order_ed25519() + \
        [make_bad_ecdsa(rng)] + make_small_scalar_ecdsa()
    cases = []
    ptexts = private_texts(mk, keys)
    for k in keys:
        if k.id in ("ed25519-enc", "rsa-enc"):
            continue
        cases += public_line_cases(k, rng, combos)
        cases += block_cases(k, rng)
    for k in keys[:3] + [k for k in keys if k.type != "ssh-ed25519"][:2]:
        cases += comment_cases(k)
    for k in (keys[1], keys[6]):
        cases += option_cases(k)
    for k in weak:
        cases.append(Case(f"{k.id}/line/clean", k.line() + "\n", "public",
                          k))
        if not k.forged:
            p = LineParts(k)
            p.sep1 = "\u00a0"
            cases.append(Case(f"{k.id}/line/sep1-nbsp", p.text(), "public",
                              k))
            cases.append(Case(f"{k.id}/line/crlf",
                              p.text().replace("\u00a0", " ")
                              .replace("\n", "\r\n"), "public", k))
    cases += private_cases(ptexts, rng)
    cases += disguised_private_cases(ptexts, mk)
    cases += pubpriv_cases(ptexts)
    cases += multi_key_cases(keys)
    return keys + weak, unique(cases)


def unique(cases):
    """Drop a random mixture that came out as a case we have; number the
    names that repeat."""
    seen_text, seen_name, out = set(), {}, []
    for c in cases:
        k = (c.text, c.key.id if c.key else None, c.kind)
        if k in seen_text:
            continue
        seen_text.add(k)
        n = seen_name.get(c.name, 0) + 1
        seen_name[c.name] = n
        if n > 1:
            c.name += f"#{n}"
        out.append(c)
    return out
