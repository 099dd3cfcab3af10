# tipline - reader submissions from IMAP into a SQLite review queue.
# Targets: all check check-san demo bench fuzz install clean (see README).

PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

PKGS	= libcurl gmime-3.0 sqlite3 glib-2.0 json-glib-1.0 libxml-2.0 \
	  libexif icu-uc icu-i18n libcrypto libytnef
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
PKG_OK     := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)

CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	  -Wmissing-prototypes -Werror
HARDEN	= -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) \
	  $(PKG_CFLAGS) -Isrc -Ibuild
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)
SAN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined

SRCS	= $(sort $(wildcard src/*.c))
LIBSRCS	= $(filter-out src/tipline.c,$(SRCS))
OBJS	= $(SRCS:src/%.c=build/rel/%.o)
FOBJS	= $(SRCS:src/%.c=build/faults/%.o)
SOBJS	= $(SRCS:src/%.c=build/san/%.o)
UNITS	= $(sort $(wildcard tests/unit/test-*.c))
VERSION	= $(shell cat VERSION 2>/dev/null || echo 0.1.0)

# Quiet by default; make V=1 shows the full command lines.
Q	= $(if $(V),,@)
E	= $(if $(V),@:,@echo)

all: tipline

tipline: $(OBJS)
	$(E) '  LD      $@'
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

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

build/version.h: VERSION
	@mkdir -p build
	$(Q)echo '#define TIPLINE_VERSION "$(VERSION)"' > $@

build/rel/%.o: src/%.c build/schema.inc build/version.h | need-pkgs
	@mkdir -p build/rel
	$(E) '  CC      $<'
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/faults/%.o: src/%.c build/schema.inc build/version.h | need-pkgs
	@mkdir -p build/faults
	$(E) '  CC      $< (faults)'
	$(Q)$(CC) $(ALL_CFLAGS) -DTIPLINE_FAULTS -MMD -MP -c -o $@ $<

build/san/%.o: src/%.c build/schema.inc build/version.h | need-pkgs
	@mkdir -p build/san
	$(E) '  CC      $< (san)'
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -DTIPLINE_FAULTS -MMD -MP -c -o $@ $<

# Unit tests: each tests/unit/test-NAME.c links against every module but
# main and prints TAP.
build/tests/%: tests/unit/%.c $(LIBSRCS:src/%.c=build/rel/%.o)
	@mkdir -p build/tests
	$(E) '  TEST    $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
		$(LIBSRCS:src/%.c=build/rel/%.o) $(PKG_LIBS)

unit: $(UNITS:tests/unit/%.c=build/tests/%)

# The compiler flags above come from pkg-config when make starts; without
# the -dev packages they are empty and every compile fails on a missing
# header. Say what to do instead.
need-pkgs:
	@[ "$(PKG_OK)" = yes ] || { \
	  echo "make: missing development files:" \
	    "$$(pkg-config --exists --print-errors $(PKGS) 2>&1 | head -1)" >&2; \
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

check-tests: tipline build/tipline-faults unit
	TIPLINE_BIN=$(CURDIR)/tipline prove -f tests/*.t

# The same tests against the ASan/UBSan build.
check-san: deps
	$(Q)$(MAKE) --no-print-directory check-san-tests

check-san-tests: build/tipline-san unit
	TIPLINE_BIN=$(CURDIR)/build/tipline-san TIPLINE_FAULTS_BIN=$(CURDIR)/build/tipline-san \
		ASAN_OPTIONS=detect_leaks=0 prove -f tests/*.t

demo: deps
	$(Q)$(MAKE) --no-print-directory tipline
	tests/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory tipline
	bench/run.sh

fuzz: deps
	fuzz/run.sh $(FUZZ_SECONDS)

install: tipline
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 tipline $(DESTDIR)$(BINDIR)/tipline
	install -m 644 docs/tipline.1 $(DESTDIR)$(MANDIR)/man1/tipline.1
	install -m 644 docs/tipline.conf.5 $(DESTDIR)$(MANDIR)/man5/tipline.conf.5
	install -m 644 docs/tipline.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/tipline

clean:
	rm -rf build tipline

.PHONY: all check check-tests check-san check-san-tests demo bench fuzz \
	install clean deps unit need-pkgs
-include $(OBJS:.o=.d) $(FOBJS:.o=.d) $(SOBJS:.o=.d)
