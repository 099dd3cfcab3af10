#!/usr/bin/env python3
"""check-layers.py - tipline's layering and style rules, checked (issue 11).

usage: scripts/check-layers.py [ROOT]      (ROOT defaults to the repository)

Exits 1, printing one line "RULE: FILE:LINE: what" per fault, when:
  cycle:   modules include each other in a circle (definition below);
  arrow:   a folder includes the public header of a folder it may not use,
           or the Makefile's USES_x lets a folder use more than ORDER says;
  private: a private header (x-priv.h) is included from another folder, or
           a folder's public header includes a private one;
  public:  a folder of lib/ has not exactly one public header;
  home:    a function declared in a private header x-priv.h is defined
           in another file than x.c (the include arrows would then hide
           a dependency: y.c needs x's header but calls into y.c);
  sqlite:  <sqlite3.h> is included outside lib/store;
  print:   lib/ prints to stdout/stderr or exits, outside lib/util/log.c
           and the few places ALLOWED_PRINT names with their reason;
  width:   a line of src/ lib/ tests/unit/ fuzz/ preview/ is over 80
           columns.
It also REPORTS, without failing, the functions of src/ and lib/ longer
than 60 lines ("long:" lines, the longest first).  Exits 0 otherwise.

Modules.  A module is x.c with its headers x.h and x-priv.h, all in one
folder; an arrow is an #include "..." from any file of one module of a
folder naming a header of another module of the same folder.  A folder's
one public header (the only header of a lib/ folder not named *-priv.h,
e.g. lib/mime/message.h) is the folder's interface, not a module: it
declares what several modules of the folder implement together (util.h
is implemented by nine files), so an include of it is an arrow to the
interface, never to message.c.  The interface may include only public
headers of the layers below, so it has no arrow back into the folder and
can never close a circle; counting it as part of message.c would make
every module that uses the folder's types "depend" on message.c and
report circles that are not there.  In src/ (the faces) every header is
a module header (commands.h belongs to commands.c).  Unit tests see
every folder on purpose and are checked for width only.

Python 3 standard library only.
"""
import os
import re
import sys
import unicodedata

# The layers, lowest first, and the folders each may use (docs/design.md).
# The Makefile's USES_x turn this into include paths; this list is the
# policy the Makefile is checked against.
ORDER = ["util", "media", "mime", "imap", "store", "app"]
USES = {
	"util": set(),
	"media": {"util"},
	"mime": {"util", "media"},
	"imap": {"util"},
	"store": {"util", "media", "mime"},
	"app": {"util", "media", "mime", "imap", "store", "preview"},
	"src": set(ORDER),
	"serve": set(ORDER),
	# The preview worker, an executable of its own (issue 12): its
	# public header preview.h is the protocol lib/app's client follows.
	"preview": {"util"},
}
# The faces: every header in them is a module header, and they may print.
# serve/ is the desk in a browser, the executable tipline-serve.
FACES = ["src", "serve"]
# Folders that are not in lib/ but have one public header: an executable
# whose main may print (its protocol), checked like a layer otherwise.
EXECUTABLES = {"preview": "preview.h"}
MAX_COLS = 80
LONG_FUNCTION = 60
WIDTH_DIRS = ["src", "serve", "lib", "tests/unit", "fuzz", "preview"]
WIDTH_EXTS = (".c", ".h", ".py", ".sh")
# Generated into build/ by the Makefile; not part of any folder.
GENERATED = {"schema.inc", "version.h"}

# Printing and exiting in lib/.  Only the logger writes to the terminal;
# the core returns a status and a message and the faces print.  Writing
# to a FILE* or a descriptor the caller passes is data, not printing, so
# the rule looks for the calls that always print or end the process and
# for any use of the standard streams themselves (which also catches
# "FILE *out = stderr").
PRINT_CALLS = re.compile(
	r"\b(printf|vprintf|puts|putchar|perror|psignal|exit|_exit|_Exit|"
	r"quick_exit|abort|err|errx|verr|verrx|warn|warnx|vwarn|vwarnx|"
	r"g_print|g_printerr|g_error|g_warning|g_critical|g_message|g_info|"
	r"g_log|syslog|vsyslog|openlog)"
	r"\s*\(")
PRINT_STREAMS = re.compile(
	r"\b(stdout|stderr|STDOUT_FILENO|STDERR_FILENO)\b")
PRINT_FDS = re.compile(r"\b(write|dprintf|vdprintf)\s*\(\s*[12]\s*,")
LOGGER = "lib/util/log.c"
# (file, function, token): every use of token in that function is allowed.
ALLOWED_PRINT = {
	("lib/util/faults.c", "fault_hook", "stderr"):
		"test-only fault injection (built with -DTIPLINE_FAULTS "
		"only): the crash tests read these lines",
	("lib/util/faults.c", "fault_point", "stderr"):
		"test-only fault injection, as above",
	("lib/util/faults.c", "fault_point", "_exit"):
		"test-only: TIPLINE_CRASH_AT simulates a power cut",
	("lib/util/hash.c", "hash_sha256_new", "g_error"):
		"libcrypto cannot set up SHA-256: an allocation failure, "
		"handled like GLib's out-of-memory abort",
	("lib/mime/tnef.c", "tnef_expand", "stdout"):
		"does not print: points stdout at /dev/null while libytnef "
		"runs, because libytnef printf()s its parse errors",
	("lib/mime/tnef.c", "tnef_expand", "STDOUT_FILENO"):
		"the same /dev/null redirection",
}

# Private headers that still serve several files, with the reason; the
# checker prints them as "known:" lines instead of failing.
# (None today; an entry reads "lib/x/y-priv.h": "why".)
SHARED_HEADERS = {
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
FUNC_NAME = re.compile(r"^(?!(?:if|for|while|switch|return)\b)"
		       r"(?:[A-Za-z_][^;=(]*?\s\**)?([A-Za-z_]\w*)\s*\(")


def display_width(line):
	"""Columns LINE takes on a terminal: tabs to the next multiple of 8,
	wide (CJK) characters 2, combining marks 0, other characters 1."""
	col = 0
	for ch in line:
		if ch == "\t":
			col = col // 8 * 8 + 8
		elif unicodedata.combining(ch) or \
		     unicodedata.category(ch) in ("Mn", "Me", "Cf"):
			pass
		elif unicodedata.east_asian_width(ch) in ("W", "F"):
			col += 2
		else:
			col += 1
	return col


def strip_c(text):
	"""TEXT with comments and string/char literals blanked, newlines
	kept, so line numbers still match."""
	out = []
	i, n = 0, len(text)
	while i < n:
		c = text[i]
		if text.startswith("/*", i):
			j = text.find("*/", i + 2)
			j = n if j < 0 else j + 2
			out.append(re.sub(r"[^\n]", " ", text[i:j]))
			i = j
		elif text.startswith("//", i):
			j = text.find("\n", i)
			j = n if j < 0 else j
			out.append(" " * (j - i))
			i = j
		elif c in "\"'":
			j = i + 1
			while j < n and text[j] != c and text[j] != "\n":
				j += 2 if text[j] == "\\" else 1
			j = min(j + 1, n)
			out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1])
				   + c)
			i = j
		else:
			out.append(c)
			i += 1
	return "".join(out)


def functions(lines):
	"""[(name, first line, last line)] of the functions in LINES (1-based
	line numbers), for the tree's brace style: the name at column 0, the
	opening and closing braces alone at column 0."""
	found = []
	start = name = None
	for i, line in enumerate(lines):
		if line.rstrip() == "{" and start is None:
			for k in range(i - 1, max(i - 12, -1), -1):
				m = FUNC_NAME.match(lines[k])
				if m:
					start, name = i, m.group(1)
					break
		elif line.startswith("}") and start is not None:
			found.append((name, start + 1, i + 1))
			start = name = None
	return found


class Tree:
	def __init__(self, root):
		self.root = root
		self.faults = []
		self.files = {}		# relative path -> text

	def read(self, rel):
		if rel not in self.files:
			with open(os.path.join(self.root, rel), "rb") as f:
				self.files[rel] = f.read().decode("utf-8",
								 "replace")
		return self.files[rel]

	def fault(self, rule, where, what):
		self.faults.append("%s: %s: %s" % (rule, where, what))

	def listdir(self, rel, exts):
		path = os.path.join(self.root, rel)
		if not os.path.isdir(path):
			return []
		return sorted(os.path.join(rel, f) for f in os.listdir(path)
			      if f.endswith(exts) and
			      os.path.isfile(os.path.join(path, f)))


def module_of(path, public):
	"""The module a file belongs to (folder/x), or None for a public
	header."""
	if os.path.basename(path) == public:
		return None
	base = re.sub(r"(-priv)?\.[ch]$", "", path)
	return base


def folders(tree):
	"""{folder name: (relative dir, public header or None)}"""
	out = {face: (face, None) for face in FACES}
	for layer in ORDER:
		d = "lib/" + layer
		heads = [os.path.basename(h) for h in tree.listdir(d, (".h",))
			 if not h.endswith("-priv.h")]
		if not tree.listdir(d, (".c", ".h")):
			continue
		if len(heads) != 1:
			tree.fault("public", d, "%d public headers (%s), "
				   "expected one" % (len(heads),
						      " ".join(heads) or "none"))
		out[layer] = (d, heads[0] if len(heads) == 1 else None)
	for name, pub in EXECUTABLES.items():
		if tree.listdir(name, (".c", ".h")):
			out[name] = (name, pub)
	return out


def check_includes(tree, fold):
	public_of = {pub: name for name, (d, pub) in fold.items() if pub}
	private_of = {}
	for name, (d, pub) in fold.items():
		if name in FACES:
			continue
		for h in tree.listdir(d, (".h",)):
			if h.endswith("-priv.h"):
				private_of[os.path.basename(h)] = name
	edges = {}
	for name, (d, pub) in fold.items():
		here = {os.path.basename(f)
			for f in tree.listdir(d, (".c", ".h"))}
		for f in tree.listdir(d, (".c", ".h")):
			mod = module_of(f, pub)
			lines = strip_includes(tree.read(f))
			for no, kind, inc in lines:
				where = "%s:%d" % (f, no)
				base = os.path.basename(inc)
				if base == "sqlite3.h" and name != "store":
					tree.fault("sqlite", where,
						   "includes sqlite3.h outside "
						   "lib/store")
				if kind != '"' or base in GENERATED:
					continue
				if base in here:
					if mod is None and base != pub:
						tree.fault("private", where,
							   "the public header "
							   "includes %s" % base)
						continue
					to = module_of(os.path.join(d, base),
						       pub)
					if to is not None and mod is not None \
					   and to != mod:
						edges.setdefault(mod, {}) \
						     .setdefault(to, where)
				elif base in public_of:
					to = public_of[base]
					if to not in USES.get(name, set()):
						tree.fault("arrow", where,
							   "%s may not use %s "
							   "(%s)" % (name, to,
								     base))
				elif base in private_of:
					tree.fault("private", where,
						   "includes %s, private to "
						   "lib/%s" % (base,
							       private_of[base]))
	return edges


def strip_includes(text):
	"""[(line number, '<' or '"', name)] of TEXT's #include lines."""
	out = []
	for no, line in enumerate(text.split("\n"), 1):
		m = INCLUDE.match(line)
		if m:
			out.append((no, m.group(1), m.group(2)))
	return out


def check_cycles(tree, edges):
	"""Report each strongly connected set of modules once (Tarjan)."""
	index, low, stack, on, sccs = {}, {}, [], set(), []
	nodes = sorted(set(edges) | {t for e in edges.values() for t in e})

	def visit(v):
		index[v] = low[v] = len(index)
		stack.append(v)
		on.add(v)
		for w in sorted(edges.get(v, {})):
			if w not in index:
				visit(w)
				low[v] = min(low[v], low[w])
			elif w in on:
				low[v] = min(low[v], index[w])
		if low[v] == index[v]:
			scc = []
			while True:
				w = stack.pop()
				on.discard(w)
				scc.append(w)
				if w == v:
					break
			if len(scc) > 1:
				sccs.append(sorted(scc))

	for v in nodes:
		if v not in index:
			visit(v)
	for scc in sccs:
		arrows = ["%s -> %s (%s)" % (a, b, edges[a][b])
			  for a in scc for b in sorted(edges.get(a, {}))
			  if b in scc]
		tree.fault("cycle", scc[0], "modules %s include each other: "
			   "%s" % (", ".join(scc), "; ".join(arrows)))


def declarations(code):
	"""[(line, name)] of the functions a header declares at file scope
	(stripped CODE): a statement starting at column 0 that has a '('
	and ends in ';' and is not a typedef."""
	out = []
	stmt, first = "", 0
	for no, line in enumerate(code.split("\n"), 1):
		if not stmt:
			if not re.match(r"[A-Za-z_]", line) or \
			   re.match(r"(typedef|struct|union|enum|extern "
				    r"\"C\")\b", line):
				continue
			first = no
		stmt += line + " "
		if ";" in line or "{" in line:
			m = re.match(r"[^(;{=]*?\b([A-Za-z_]\w*)\s*\(", stmt)
			if m and "{" not in stmt:
				out.append((first, m.group(1)))
			stmt = ""
	return out


def check_homes(tree, fold):
	for name, (d, pub) in fold.items():
		defined = {}
		for f in tree.listdir(d, (".c",)):
			for fn, a, b in functions(strip_c(tree.read(f))
						  .split("\n")):
				defined.setdefault(fn, f)
		for h in tree.listdir(d, (".h",)):
			if not h.endswith("-priv.h"):
				continue
			home = h[:-len("-priv.h")] + ".c"
			if h in SHARED_HEADERS:
				print("known: %s: declares functions of several "
				      "files: %s" % (h, SHARED_HEADERS[h]))
				continue
			code = strip_c(tree.read(h))
			for no, fn in declarations(code):
				at = defined.get(fn)
				if at is not None and at != home:
					tree.fault("home", "%s:%d" % (h, no),
						   "%s() is defined in %s, not "
						   "%s" % (fn, at, home))


def check_makefile(tree):
	path = os.path.join(tree.root, "Makefile")
	if not os.path.isfile(path):
		return
	for no, line in enumerate(tree.read("Makefile").split("\n"), 1):
		m = re.match(r"^USES_(\w+)\s*=\s*(.*)$", line)
		if not m:
			continue
		words = m.group(2).replace("$(LAYERS)", " ".join(ORDER))
		extra = set(words.split()) - USES.get(m.group(1), set())
		if extra:
			tree.fault("arrow", "Makefile:%d" % no,
				   "USES_%s lets %s use %s" %
				   (m.group(1), m.group(1),
				    " ".join(sorted(extra))))


def check_print(tree, fold):
	used = set()
	for name, (d, pub) in fold.items():
		if name in FACES or name in EXECUTABLES:
			continue
		for f in tree.listdir(d, (".c", ".h")):
			if f == LOGGER:
				continue
			code = strip_c(tree.read(f)).split("\n")
			owner = {}
			for fn, a, b in functions(code):
				for no in range(a, b + 1):
					owner[no] = fn
			for no, line in enumerate(code, 1):
				if line.lstrip().startswith("#"):
					continue
				hits = [m.group(1) for r in (PRINT_CALLS,
							     PRINT_STREAMS,
							     PRINT_FDS)
					for m in r.finditer(line)]
				for tok in hits:
					key = (f, owner.get(no), tok)
					if key in ALLOWED_PRINT:
						used.add(key)
						continue
					tree.fault("print", "%s:%d" % (f, no),
						   "%s in lib/ (in %s): the core "
						   "returns, the faces print"
						   % (tok, owner.get(no, "?")))
	for key in sorted(set(ALLOWED_PRINT) - used):
		if os.path.isfile(os.path.join(tree.root, key[0])):
			tree.fault("print", key[0], "ALLOWED_PRINT names %s "
				   "in %s, which no longer uses it: remove the "
				   "entry" % (key[2], key[1]))


def width_files(tree):
	out = []
	for d in WIDTH_DIRS:
		top = os.path.join(tree.root, d)
		if d == "lib" and os.path.isdir(top):
			for sub in sorted(os.listdir(top)):
				out += tree.listdir(os.path.join(d, sub),
						    WIDTH_EXTS)
		else:
			out += tree.listdir(d, WIDTH_EXTS)
	return out


def check_width(tree):
	for f in width_files(tree):
		for no, line in enumerate(tree.read(f).split("\n"), 1):
			w = display_width(line)
			if w > MAX_COLS:
				tree.fault("width", "%s:%d" % (f, no),
					   "%d columns (tabs at 8), over %d" %
					   (w, MAX_COLS))


def long_functions(tree, fold):
	out = []
	for name, (d, pub) in fold.items():
		for f in tree.listdir(d, (".c",)):
			code = strip_c(tree.read(f)).split("\n")
			for fn, a, b in functions(code):
				n = b - a - 1
				if n > LONG_FUNCTION:
					out.append((n, f, a, fn))
	return sorted(out, key=lambda t: (-t[0], t[1], t[2]))


def main(argv):
	root = argv[1] if len(argv) > 1 else \
		os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	tree = Tree(root)
	fold = folders(tree)
	edges = check_includes(tree, fold)
	check_cycles(tree, edges)
	check_homes(tree, fold)
	check_makefile(tree)
	check_print(tree, fold)
	check_width(tree)
	longs = long_functions(tree, fold)
	print("long: %d functions of src/ and lib/ over %d lines "
	      "(body lines; reported, not a failure)" %
	      (len(longs), LONG_FUNCTION))
	for n, f, a, fn in longs:
		print("long: %s:%d: %s() %d lines" % (f, a, fn, n))
	for line in tree.faults:
		print(line)
	print("check-layers: %d fault%s" % (len(tree.faults),
					     "" if len(tree.faults) == 1
					     else "s"))
	return 1 if tree.faults else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
