# tipline - reader submissions from IMAP into a SQLite review queue.
# Targets: all check check-san demo bench bench-pg bench-desk bench-desk-1m
# fuzz install clean
# (see README).

PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

PKGS	= libcurl gmime-3.0 sqlite3 glib-2.0 json-glib-1.0 libxml-2.0 \
	  libexif icu-uc icu-i18n libcrypto libssl libytnef libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# -lm: the search's bm25 (lib/store/desk-rank.c); libm is loaded anyway.
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
# The preview worker's libraries (issue 12): linked into tipline-preview
# only, so that neither tipline nor its cron fetch ever loads them.
PREVIEW_PKGS = vips libavformat libavcodec libswscale libavutil
PREVIEW_CFLAGS := $(shell pkg-config --cflags $(PREVIEW_PKGS) 2>/dev/null)
PREVIEW_LIBS := $(shell pkg-config --libs $(PREVIEW_PKGS) 2>/dev/null) -lm
PKG_OK     := $(shell pkg-config --exists $(PKGS) $(PREVIEW_PKGS) \
		2>/dev/null && echo yes)
# tipline-serve (the browser desk, issue 12) alone links the web and
# password libraries, so that the cron job's tipline never loads them.
SERVE_PKGS = libmicrohttpd libsodium
SERVE_CFLAGS := $(shell pkg-config --cflags $(SERVE_PKGS) 2>/dev/null)
SERVE_LIBS   := $(shell pkg-config --libs $(SERVE_PKGS) 2>/dev/null)
SERVE_OK     := $(shell pkg-config --exists $(SERVE_PKGS) 2>/dev/null && \
		  echo yes)

CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	  -Wmissing-prototypes -Werror
HARDEN	= -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) \
	  $(PKG_CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)
SAN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined

# Layers, lowest first (docs/design.md).  Each folder of lib/ has one
# public header (PUB_x); a layer is compiled with its own folder and a
# directory build/inc/x holding links to the public headers of the layers
# below it (USES_x), so an include of a higher layer or of another
# folder's private header does not compile.  src/ is the faces; serve/
# is a second face, the executable tipline-serve (the desk in a browser).
LAYERS	= util media mime imap store app
PUB_util = util.h
PUB_media = media.h
PUB_mime = message.h
PUB_imap = imap.h
PUB_store = store.h
PUB_app = app.h
USES_util =
USES_media = util
USES_mime = util media
USES_imap = util
USES_store = util media mime
USES_app = util media mime imap store preview
# preview/ is the worker executable tipline-preview, not part of lib/:
# its header preview.h (the protocol) is public to lib/app's client.
PUB_preview = preview.h
USES_preview = util
USES_src = $(LAYERS)
USES_serve = $(LAYERS)

LIBSRCS	= $(sort $(foreach l,$(LAYERS),$(wildcard lib/$(l)/*.c)))
FACESRCS = $(sort $(wildcard src/*.c))
SERVESRCS = $(sort $(wildcard serve/*.c))
SRCS	= $(LIBSRCS) $(FACESRCS)
OBJS	= $(SRCS:%.c=build/rel/%.o)
FOBJS	= $(SRCS:%.c=build/faults/%.o)
SOBJS	= $(SRCS:%.c=build/san/%.o)
LIBOBJS	= $(LIBSRCS:%.c=build/rel/%.o)
FACEOBJS = $(filter-out build/rel/src/tipline.o,$(FACESRCS:%.c=build/rel/%.o))
INCDIRS	= $(LAYERS:%=build/inc/%/.ok) build/inc/src/.ok \
	  build/inc/preview/.ok build/inc/serve/.ok
# made by a pattern rule: without this make deletes them as intermediate
# files after every build and remakes the links the next time
.SECONDARY: $(INCDIRS)
PREVIEWSRCS = $(sort $(wildcard preview/*.c))
PREVIEWOBJS = $(PREVIEWSRCS:%.c=build/rel/%.o)
UNITS	= $(sort $(wildcard tests/unit/test-*.c))
VERSION	= $(shell cat VERSION 2>/dev/null || echo 0.1.0)

# Quiet by default; make V=1 shows the full command lines.
Q	= $(if $(V),,@)
E	= $(if $(V),@:,@echo)

all: tipline tipline-preview tipline-serve

tipline: $(FACESRCS:%.c=build/rel/%.o) build/rel/libtipline.a
	$(E) '  LD      $@'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(FACESRCS:%.c=build/rel/%.o) \
		build/rel/libtipline.a $(PKG_LIBS)

# The preview worker (preview.h): its own executable with libvips and
# FFmpeg; lib/app's preview_run_fd starts it.
tipline-preview: $(PREVIEWOBJS)
	$(E) '  LD      $@'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(PREVIEWOBJS) $(PREVIEW_LIBS)

$(PREVIEWOBJS): ALL_CFLAGS += $(PREVIEW_CFLAGS)

# The browser desk: its own executable, so that libmicrohttpd and
# libsodium are loaded only by `tipline serve` (which execs it).
tipline-serve: $(SERVESRCS:%.c=build/rel/%.o) build/rel/libtipline.a
	$(E) '  LD      $@'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(SERVESRCS:%.c=build/rel/%.o) \
		build/rel/libtipline.a $(PKG_LIBS) $(SERVE_LIBS)

# build/tipline-san execs build/tipline-serve (beside itself): the
# sanitizer build of the desk, through a link.
$(SERVESRCS:%.c=build/rel/%.o) $(SERVESRCS:%.c=build/san/%.o): \
	ALL_CFLAGS += $(SERVE_CFLAGS)

build/tipline-serve-san: $(SERVESRCS:%.c=build/san/%.o) \
		$(LIBSRCS:%.c=build/san/%.o)
	$(E) '  LD      $@'
	$(Q)$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) $(SERVE_LIBS)
	$(Q)ln -sf tipline-serve-san build/tipline-serve

# The same program with test-only fault injection (TIPLINE_CRASH_AT), used
# by the crash tests; the release build above ignores that variable.
build/tipline-faults: $(FOBJS)
	$(E) '  LD      $@'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(FOBJS) $(PKG_LIBS)

# Sanitizer build: the whole test suite can run against it (make check-san).
build/tipline-san: $(SOBJS)
	$(E) '  LD      $@'
	$(Q)$(CC) $(SAN) -o $@ $(SOBJS) $(PKG_LIBS)

build/schema.inc: schema.sql
	@mkdir -p build
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
		schema.sql > $@.tmp && mv $@.tmp $@

build/schema-pg.inc: schema-pg.sql
	@mkdir -p build
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
		schema-pg.sql > $@.tmp && mv $@.tmp $@

build/version.h: VERSION
	@mkdir -p build
	$(Q)echo '#define TIPLINE_VERSION "$(VERSION)"' > $@

# The include path of a source file: its own folder, then the links to
# the public headers it may use; build/ for generated files.
# src/, serve/ and preview/ are folders of their own; lib/x is layer x.
FACE_DIRS = src serve preview
face_of = $(firstword $(foreach f,$(FACE_DIRS),$(if $(filter $(f)/%,$(1)),$(f))))
layer_of = $(or $(call face_of,$(1)),$(word 2,$(subst /, ,$(1))))
inc_of	= -I$(dir $(1)) -Ibuild/inc/$(call layer_of,$(1)) -Ibuild
INC	= $(call inc_of,$<)

build/inc/%/.ok: Makefile
	@rm -rf build/inc/$* && mkdir -p build/inc/$*
	$(Q)for l in $(USES_$*); do d=lib/$$l; \
		case $$l in util) h=$(PUB_util);; media) h=$(PUB_media);; \
		mime) h=$(PUB_mime);; imap) h=$(PUB_imap);; \
		store) h=$(PUB_store);; app) h=$(PUB_app);; \
		preview) d=preview; h=$(PUB_preview);; esac; \
		ln -s ../../../$$d/$$h build/inc/$*/$$h || exit 1; \
	done; touch $@

GEN	= build/schema.inc build/schema-pg.inc build/version.h

build/rel/%.o: %.c $(GEN) | need-pkgs $(INCDIRS)
	@mkdir -p $(dir $@)
	$(E) '  CC      $<'
	$(Q)$(CC) $(ALL_CFLAGS) $(INC) -MMD -MP -c -o $@ $<

build/faults/%.o: %.c $(GEN) | need-pkgs $(INCDIRS)
	@mkdir -p $(dir $@)
	$(E) '  CC      $< (faults)'
	$(Q)$(CC) $(ALL_CFLAGS) $(INC) -DTIPLINE_FAULTS -MMD -MP -c -o $@ $<

build/san/%.o: %.c $(GEN) | need-pkgs $(INCDIRS)
	@mkdir -p $(dir $@)
	$(E) '  CC      $< (san)'
	$(Q)$(CC) $(ALL_CFLAGS) $(INC) -O1 $(SAN) -DTIPLINE_FAULTS -MMD -MP \
		-c -o $@ $<

# The compiler and flags the rules above use for a file of FOLDER
# (make print-cflags FOLDER=lib/mime): tests/110-bad-include.t compiles
# wrong-way includes with them, from the top directory, and checks that
# they are refused.
print-cflags: $(GEN) | need-pkgs $(INCDIRS)
	@echo $(CC) $(ALL_CFLAGS) $(call inc_of,$(FOLDER)/probe.c)

# The libraries the core needs (pkg-config names), for fuzz/run.sh: one
# list, here.
print-pkgs:
	@echo $(PKGS)

# The layering and style rules (scripts/check-layers.py), also run by
# tests/02-layers.t.
check-layers:
	scripts/check-layers.py

# lib/ as one static library: the program and the unit tests link it.
build/rel/libtipline.a: $(LIBOBJS)
	$(E) '  AR      $@'
	$(Q)rm -f $@ && $(AR) rcs $@ $(LIBOBJS)

# Unit tests: each tests/unit/test-NAME.c may reach inside every folder
# (private headers included) and links the library and the faces but
# main; it prints TAP.
# What several unit tests share (a private Dovecot, say) is a fixture:
# tests/unit/fixture-NAME.c with its fixture-NAME.h. They go into one
# archive that every unit test links; the linker takes from it only the
# objects a test uses, so a test without a fixture does not need one.
UNIT_INC = -Isrc $(LAYERS:%=-Ilib/%) -Ipreview -Ibuild
UNIT_FIX = $(sort $(wildcard tests/unit/fixture-*.c))
UNIT_FIXOBJS = $(UNIT_FIX:tests/unit/%.c=build/tests/obj/%.o)
build/tests/obj/%.o: tests/unit/%.c $(GEN) | need-pkgs
	@mkdir -p build/tests/obj
	$(E) '  CC      $<'
	$(Q)$(CC) $(ALL_CFLAGS) $(UNIT_INC) -MMD -MP -c -o $@ $<

build/tests/libfixture.a: $(UNIT_FIXOBJS)
	$(E) '  AR      $@'
	$(Q)rm -f $@ && $(AR) rcs $@ $(UNIT_FIXOBJS)

build/tests/%: tests/unit/%.c build/rel/libtipline.a $(FACEOBJS) \
		build/tests/libfixture.a $(wildcard tests/unit/fixture-*.h)
	@mkdir -p build/tests
	$(E) '  TEST    $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(UNIT_INC) $(ALL_LDFLAGS) -o $@ $< \
		$(FACEOBJS) build/tests/libfixture.a build/rel/libtipline.a \
		$(PKG_LIBS)

unit: $(UNITS:tests/unit/%.c=build/tests/%)

# The compiler flags above come from pkg-config when make starts; without
# the -dev packages they are empty and every compile fails on a missing
# header. Say what to do instead.
need-pkgs:
	@[ "$(PKG_OK)" = yes ] && [ "$(SERVE_OK)" = yes ] || { \
	  echo "make: missing development files:" \
	    "$$(pkg-config --exists --print-errors $(PKGS) \
	      $(PREVIEW_PKGS) $(SERVE_PKGS) 2>&1 | head -1)" >&2; \
	  echo "make: run scripts/install-deps.sh (or make deps) first;" \
	    "make demo and make check do it for you" >&2; exit 1; }

deps:
	scripts/install-deps.sh

# The targets that install dependencies first run install-deps.sh and then
# a second make: this one read pkg-config's flags when it started, on a
# fresh machine before the -dev packages existed, so only a new make sees
# them (the README's two commands must work the first time).
check: deps
	$(Q)$(MAKE) --no-print-directory check-tests

check-tests: tipline tipline-preview tipline-serve build/tipline-faults \
		unit
	TIPLINE_BIN=$(CURDIR)/tipline prove -f tests/*.t

# The tests named in tests/pg.list on the PostgreSQL backend (issue 13):
# each starts a private server (tests/lib.sh, TIPLINE_TEST_STORE=pg).
check-pg: deps
	$(Q)$(MAKE) --no-print-directory check-pg-tests

check-pg-tests: tipline tipline-preview tipline-serve build/tipline-faults \
		unit
	TIPLINE_BIN=$(CURDIR)/tipline TIPLINE_TEST_STORE=pg prove -f \
		$$(grep -v '^#' tests/pg.list)

# The same tests against the ASan/UBSan build.
check-san: deps
	$(Q)$(MAKE) --no-print-directory check-san-tests

check-san-tests: build/tipline-san build/tipline-serve-san tipline-preview \
		unit
	TIPLINE_BIN=$(CURDIR)/build/tipline-san TIPLINE_FAULTS_BIN=$(CURDIR)/build/tipline-san \
		TIPLINE_SERVE_BIN=$(CURDIR)/build/tipline-serve-san \
		ASAN_OPTIONS=detect_leaks=0 prove -f tests/*.t

demo: deps
	$(Q)$(MAKE) --no-print-directory tipline tipline-serve tipline-preview
	tests/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory tipline
	bench/run.sh

# Fetch into PostgreSQL against SQLite, and four fetchers against one on
# eight mailboxes at 50 ms RTT (issue 13; bench/pg-fetch.sh; BENCH_QUICK=1
# for a quick run of about a minute).
bench-pg: deps
	$(Q)$(MAKE) --no-print-directory tipline
	bench/pg-fetch.sh

# The browser desk's server time on 100,000 submissions (bench/serve.sh;
# BENCH_DESK_N=2000 for a quick run).
bench-desk: deps
	$(Q)$(MAKE) --no-print-directory tipline tipline-serve tipline-preview
	bench/serve.sh

# list, search and show on 1,000,000 submissions in SQLite and in a
# private PostgreSQL, side by side (bench/desk.sh; issue 13).  The first
# run builds both (about 2 hours on a shared 2-core machine, 10 GB under
# /var/tmp/tipline-desk); later runs reuse them.
bench-desk-1m: deps
	$(Q)$(MAKE) --no-print-directory tipline
	DESK_N=1000000 DESK_STORE=pg DESK_PAGES_ONLY=1 nice bench/desk.sh

fuzz: deps
	fuzz/run.sh $(FUZZ_SECONDS)

install: tipline tipline-preview tipline-serve
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 tipline $(DESTDIR)$(BINDIR)/tipline
	install -m 755 tipline-preview $(DESTDIR)$(BINDIR)/tipline-preview
	install -m 755 tipline-serve $(DESTDIR)$(BINDIR)/tipline-serve
	install -m 644 docs/tipline.1 $(DESTDIR)$(MANDIR)/man1/tipline.1
	install -m 644 docs/tipline.conf.5 $(DESTDIR)$(MANDIR)/man5/tipline.conf.5
	install -m 644 docs/tipline.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/tipline

clean:
	rm -rf build tipline tipline-preview tipline-serve

.PHONY: all check check-tests check-pg check-pg-tests check-san check-san-tests \
	demo bench bench-pg bench-desk bench-desk-1m fuzz \
	install clean deps unit need-pkgs check-layers print-cflags \
	print-pkgs
-include $(OBJS:.o=.d) $(FOBJS:.o=.d) $(SOBJS:.o=.d) \
	$(UNIT_FIXOBJS:.o=.d) $(PREVIEWOBJS:.o=.d) \
	$(SERVESRCS:%.c=build/rel/%.d) $(SERVESRCS:%.c=build/san/%.d)
