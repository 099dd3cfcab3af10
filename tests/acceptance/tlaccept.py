"""tlaccept.py - shared helpers for the corpus acceptance scripts
(vi-corpus.py, public-corpus.py): run tipline on one message in a fresh
database, tell a crash from a refusal, read `show --json`, normalise text,
and read the small YAML subset Zammad's expected-result files use.

Python 3 standard library only: CI machines have no PyYAML.
"""
import html.parser
import json
import os
import re
import subprocess
import time
import unicodedata

# A sanitizer report or a signal is a crash whatever the exit code says.
SAN_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
               "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer",
               "SUMMARY: AddressSanitizer", "AddressSanitizer:DEADLYSIGNAL")
CMD_TIMEOUT = 120


class Result:
    """One tipline run: rc, stdout, stderr, crash (None or a reason)."""

    def __init__(self, rc, out, err, crash):
        self.rc, self.out, self.err, self.crash = rc, out, err, crash


class Tipline:
    """Runs BIN against private databases under WORK."""

    def __init__(self, binary, work):
        self.bin = os.path.abspath(binary)
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.n = 0

    def fresh(self, label):
        """A new directory with a config whose database does not exist
        yet; returns the config path."""
        self.n += 1
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label)[-60:]
        d = os.path.join(self.work, "%04d-%s" % (self.n, safe))
        os.makedirs(os.path.join(d, "spool"), exist_ok=True)
        conf = os.path.join(d, "tipline.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write("[store]\ndatabase = %s\nspool_dir = %s\n"
                    % (os.path.join(d, "tipline.db"),
                       os.path.join(d, "spool")))
        return conf

    def run(self, conf, args):
        env = dict(os.environ)
        env.pop("TIPLINE_DB", None)
        env["TIPLINE_CONFIG"] = conf
        env.setdefault("TIPLINE_EDITOR", "acceptance")
        cmd = [self.bin, "--config", conf] + list(args)
        for attempt in range(3):
            try:
                p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                                   capture_output=True, env=env,
                                   timeout=CMD_TIMEOUT)
                break
            except subprocess.TimeoutExpired as e:
                return Result(-1, e.stdout or b"", e.stderr or b"",
                              "hung (no exit after %ds)" % CMD_TIMEOUT)
            except OSError as e:
                # a developer's `make` may be replacing the binary
                if attempt == 2:
                    raise SystemExit("cannot run %s: %s" % (self.bin, e))
                time.sleep(2)
        err = p.stderr.decode("utf-8", "replace")
        crash = None
        if p.returncode < 0:
            crash = "killed by signal %d" % -p.returncode
        elif p.returncode >= 128:
            crash = "exit %d" % p.returncode
        else:
            for m in SAN_MARKERS:
                if m in err:
                    crash = "sanitizer: " + next(
                        (ln for ln in err.splitlines() if m in ln), m)
                    break
        if crash is None and "--json" in args and p.returncode == 0:
            # No --json output may ever be invalid JSON, whatever the
            # input (issue 9 section 4 item 4): python's strict parser
            # refuses raw control characters in strings.
            try:
                json.loads(p.stdout.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                crash = "invalid JSON from %s: %s" % (" ".join(args), e)
        return Result(p.returncode, p.stdout, err, crash)

    def import_file(self, conf, path):
        """Import PATH; returns (Result, [submission ids])."""
        r = self.run(conf, ["-v", "import", path])
        ids = [int(x) for x in re.findall(
            r"(?:stored|quarantined|duplicate of|as) #(\d+)", r.err)]
        return r, sorted(set(ids))

    def show(self, conf, sid):
        """(Result, dict or None) for `show ID --json`."""
        r = self.run(conf, ["show", str(sid), "--json"])
        if r.rc != 0 or r.crash:
            return r, None
        try:
            j = json.loads(r.out.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return r, None
        if isinstance(j, list) and j:
            j = j[0]
        return r, j if isinstance(j, dict) else None

    def submissions(self, conf, ids):
        """Every submission of a fresh database: the ids import named,
        else 1, 2, ... until show fails.  Returns (list of dicts, crash)."""
        subs, crash = [], None
        probe = not ids
        ids = list(ids) or list(range(1, 51))
        for sid in ids:
            r, j = self.show(conf, sid)
            if r.crash:
                crash = "show %d: %s" % (sid, r.crash)
                break
            if j is None:
                if probe:
                    break
                continue
            subs.append(j)
        return subs, crash


def nfc(s):
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


def norm_ws(s):
    """NFC, every run of whitespace (also NBSP, ideographic space) as one
    space, trimmed; None stays None."""
    if s is None:
        return None
    return " ".join(nfc(str(s)).replace("\u200b", "").split())


class _Text(html.parser.HTMLParser):
    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5",
             "h6", "table", "blockquote", "pre", "hr", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(s):
    p = _Text()
    try:
        p.feed(s)
        p.close()
    except Exception:  # noqa: BLE001 - malformed HTML: keep what we have
        pass
    return "".join(p.out)


# ---- a YAML subset: block mappings and sequences, plain, quoted and block
# scalars, [] and {}, tags ignored.  Enough for Zammad's mailNNN.yml
# (Ruby's Psych output); everything comes back as str, list or dict.

_ESC = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
        "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"',
        "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
        "P": "\u2029"}


def _fold(lines):
    """Flow scalar folding (YAML 1.1 7.3): a line break is a space, an
    empty line a newline; continuation lines lose leading whitespace."""
    out = lines[0]
    pending = 0
    for n, ln in enumerate(lines[1:], 1):
        t = ln.lstrip(" \t")
        if t.strip(" \t") == "" and n < len(lines) - 1:
            pending += 1
            continue
        out = out.rstrip(" \t") + ("\n" * pending if pending else " ") + t
        pending = 0
    return out


def _dq_unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = s[i + 1] if i + 1 < len(s) else ""
        if e in "xuU" and e:
            n = {"x": 2, "u": 4, "U": 8}[e]
            out.append(chr(int(s[i + 2:i + 2 + n], 16)))
            i += 2 + n
        elif e == "\n":
            i += 2
            while i < len(s) and s[i] in " \t":
                i += 1
        else:
            out.append(_ESC.get(e, e))
            i += 2
    return "".join(out)


class _Yaml:
    def __init__(self, text):
        text = text.replace("\r\n", "\n")
        self.lines = text[:-1].split("\n") if text.endswith("\n") \
            else text.split("\n")
        self.i = 0

    @staticmethod
    def indent(ln):
        return len(ln) - len(ln.lstrip(" "))

    def next_content(self):
        j = self.i
        while j < len(self.lines) and (self.lines[j].strip() == "" or
                                        self.lines[j].lstrip().startswith("#")):
            j += 1
        return j

    def document(self):
        j = self.next_content()
        if j < len(self.lines) and self.lines[j].startswith("---"):
            self.i = j + 1
        return self.block(0)

    def block(self, ind):
        j = self.next_content()
        if j >= len(self.lines):
            return ""
        self.i = j
        ln = self.lines[j]
        if self.indent(ln) < ind:
            return ""
        ind = self.indent(ln)
        if ln.lstrip().startswith("- ") or ln.strip() == "-":
            return self.sequence(ind)
        return self.mapping(ind)

    def sequence(self, ind):
        out = []
        while True:
            j = self.next_content()
            if j >= len(self.lines):
                break
            ln = self.lines[j]
            if self.indent(ln) != ind or not (ln.lstrip().startswith("- ")
                                              or ln.strip() == "-"):
                break
            rest = ln[ind + 1:].lstrip(" ")
            rest = re.sub(r"^!\S+\s*", "", rest)
            if rest == "":
                self.i = j + 1
                out.append(self.block(ind + 1))
            elif re.match(r"^[^'\"\[{][^:]*:( |$)", rest) or \
                    re.match(r"^(['\"]).*?\1:( |$)", rest):
                # "- key: value": a mapping whose first line is this one
                self.lines[j] = " " * (ind + 2) + rest
                self.i = j
                out.append(self.mapping(ind + 2))
            else:
                self.i = j
                out.append(self.scalar(rest, j, ind))
        return out

    def mapping(self, ind):
        out = {}
        while True:
            j = self.next_content()
            if j >= len(self.lines):
                break
            ln = self.lines[j]
            if self.indent(ln) != ind or ln.lstrip().startswith("- "):
                break
            body = ln[ind:]
            m = re.match(r"^(?:'((?:[^']|'')*)'|\"((?:[^\"\\]|\\.)*)\"|"
                         r"([^:#][^:]*?|[^:]*?)):(?: +|$)(.*)$", body)
            if not m:
                break
            if m.group(1) is not None:
                key = m.group(1).replace("''", "'")
            elif m.group(2) is not None:
                key = _dq_unescape(m.group(2))
            else:
                key = m.group(3).strip()
            rest = re.sub(r"^!\S+\s*", "", m.group(4))
            if rest == "":
                self.i = j + 1
                k = self.next_content()
                if k < len(self.lines) and (
                        self.indent(self.lines[k]) > ind or
                        (self.indent(self.lines[k]) == ind and
                         self.lines[k].lstrip().startswith("- "))):
                    out[key] = self.block(ind if self.indent(
                        self.lines[k]) == ind else ind + 1)
                else:
                    out[key] = ""
            else:
                self.i = j
                out[key] = self.scalar(rest, j, ind)
        return out

    def scalar(self, rest, j, ind):
        """Scalar starting with REST on line J (parent indent IND); leaves
        self.i after it."""
        if rest in ("[]", "{}"):
            self.i = j + 1
            return [] if rest == "[]" else {}
        if rest[0] in "|>":
            return self.block_scalar(rest, j, ind)
        if rest[0] in "'\"":
            q = rest[0]
            parts = [rest[1:]]
            k = j
            while True:
                cur = parts[-1]
                if q == "'":
                    end = re.search(r"(?:^|[^'])(?:'')*'(?!')", cur)
                    pos = end.end() - 1 if end else -1
                else:
                    end = re.search(r'(?:^|[^\\])(?:\\\\)*"', cur)
                    pos = end.end() - 1 if end else -1
                if pos >= 0:
                    parts[-1] = cur[:pos]
                    break
                k += 1
                if k >= len(self.lines):
                    break
                parts.append(self.lines[k])
            self.i = k + 1
            if q == "'":
                return _fold(parts).replace("''", "'")
            # escaped line breaks must survive folding
            raw = "\n".join(parts)
            raw = re.sub(r"\\\n[ \t]*", "\\\n", raw)
            folded = _fold(raw.split("\n")) if "\\\n" not in raw else raw
            return _dq_unescape(folded)
        parts = [rest]
        k = j + 1
        while k < len(self.lines) and (self.lines[k].strip() == "" or
                                       self.indent(self.lines[k]) > ind):
            if self.lines[k].strip() == "" and (
                    k + 1 >= len(self.lines) or
                    self.indent(self.lines[k + 1]) <= ind):
                break
            parts.append(self.lines[k])
            k += 1
        self.i = k
        return _fold(parts).split(" #")[0].rstrip()

    def block_scalar(self, head, j, ind):
        chomp = "-" if "-" in head else ("+" if "+" in head else "")
        m = re.search(r"[1-9]", head)
        k = j + 1
        body = []
        bind = None if not m else ind + int(m.group(0))
        while k < len(self.lines):
            ln = self.lines[k]
            if ln.strip() == "":
                body.append("")
                k += 1
                continue
            if bind is None:
                bind = self.indent(ln)
                if bind <= ind:
                    break
            if self.indent(ln) < bind:
                break
            body.append(ln[bind:])
            k += 1
        self.i = k
        # trailing empty lines belong to the chomping rule
        n_trail = 0
        while body and body[-1] == "":
            body.pop()
            n_trail += 1
        if head[0] == ">":
            text, prev_more = "", False
            for idx, ln in enumerate(body):
                more = ln.startswith((" ", "\t"))
                if idx == 0:
                    text = ln
                elif ln == "":
                    text += "\n"
                elif more or prev_more or text.endswith("\n"):
                    text += ("\n" if not text.endswith("\n") else "") + ln \
                        if (more or prev_more) else ln
                else:
                    text += " " + ln
                prev_more = more
        else:
            text = "\n".join(body)
        if not body:
            return "" if chomp != "+" else "\n" * n_trail
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" * (n_trail + 1)
        return text + "\n"


def yaml_load(text):
    """Parse TEXT (the YAML subset above); raises ValueError on what it
    cannot read."""
    try:
        return _Yaml(text).document()
    except (IndexError, ValueError) as e:
        raise ValueError("yaml: %s" % e) from e
