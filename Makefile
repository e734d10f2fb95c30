# padron: one Makefile for the binary, the tests, the fuzzers and the benchmarks.
#
#   make            build build/padron
#   make run        install what is missing, build, start the service
#   make check      install what is missing, then every check (see `check` below)
#   make format     rewrite the tree with clang-format
#
# Variants share the rules: BUILD=build/asan SAN=1 builds the same tree under ASan+UBSan.

BUILD ?= build
comma := ,
SAN ?= 0
CC ?= cc
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 4

WARN := -std=c17 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wimplicit-fallthrough -fno-common -Werror
# src/render: QR codes (libqrencode), PDFs (cairo, pango), QR reading (zbar, poppler).
# Their headers come in as system headers so glib's do not trip our warnings.
RENDER_PKGS := libqrencode cairo pangocairo zbar poppler-glib
RENDER_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(RENDER_PKGS)))
RENDER_LIBS := $(shell pkg-config --libs $(RENDER_PKGS))
# src/store: PostgreSQL's client library (SQLite needs no flags).
PQ_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags libpq))
CPPFLAGS := -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(RENDER_CFLAGS) $(PQ_CFLAGS)
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
else
OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection
LDSAN :=
endif
CFLAGS := $(WARN) $(OPT) -fPIE -MMD -MP
# Library caches that live until exit are not leaks of ours (tests/lsan.supp says which).
LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
LDFLAGS := -pie -Wl,-z,relro,-z,now $(LDSAN)
LIBS := -lmicrohttpd -lcurl -ljansson -lsodium -lsqlite3 -lpq -lcrypto -lz -lm -lpthread -ljpeg -lpng \
        $(RENDER_LIBS)

# Everything under src/ except the entry point is library code, shared by the
# binary, the unit tests and the benchmarks.
LIB_SRC := $(sort $(wildcard src/*/*.c))
LIB_SRC := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/templates.o
TEMPLATES := $(sort $(shell find templates -name '*.html' 2>/dev/null))
MAIN_OBJ := $(BUILD)/obj/src/cli/main.o

# tests/unit/<dir>/<name>.c mirrors src/<dir>/<name>.c and becomes one cmocka binary.
UNIT_SRC := $(sort $(wildcard tests/unit/*/*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Fuzzers link only the modules that parse outside input (no server, no CLI).
FUZZ_LIB_SRC := $(sort $(wildcard src/core/*.c src/care/*.c src/catalog/*.c src/util/*.c src/media/*.c src/credential/*.c src/geo/*.c)) src/web/json_input.c src/web/template.c src/web/textbuf.c src/web/form.c src/web/form_multipart.c \
                src/web/netaddr.c src/web/staff.c src/cli/config.c src/render/qr_scan.c
FUZZ_SRC := $(sort $(wildcard fuzz/*-fuzzer.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_FLAGS := -std=c17 -g -O1 -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(RENDER_CFLAGS) \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ_FLAGS := $(subst -fsanitize=fuzzer$(comma),-fsanitize=fuzzer-no-link$(comma),$(FUZZ_FLAGS))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=build/fuzz/obj/%.o)

.PHONY: all run check deps unit asan-unit fuzz fuzz-smoke cli-tests cli-tests-pg render-test browser-test interop-test format format-check bench clean

all: $(BUILD)/padron

$(BUILD)/padron: $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# The page templates, embedded into the binary (scripts/embed-templates).
$(BUILD)/gen/templates.c: $(TEMPLATES) scripts/embed-templates
	@mkdir -p $(dir $@)
	scripts/embed-templates $@ $(TEMPLATES)

$(BUILD)/obj/gen/templates.o: $(BUILD)/gen/templates.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LIBS)

# The fuzzers' library code is compiled once (instrumented, without libFuzzer's
# main) and linked into each harness, instead of once per harness.
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OBJ_FLAGS) -MMD -MP -c -o $@ $<

build/fuzz/%: fuzz/%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB_OBJ) -ljansson -lcrypto -lz -lm -ljpeg -lpng \
	    -lsodium $(RENDER_LIBS)

.SECONDARY: $(FUZZ_LIB_OBJ)
-include $(FUZZ_LIB_OBJ:.o=.d)

deps:
	@scripts/deps

# --dev: loopback only and all mail into var/mail, even with a production
# var/padron.conf in place (docs/configuration.md).
run: deps $(BUILD)/padron
	$(BUILD)/padron serve --dev

# The whole gate, in the order a failure is cheapest to find. Any failure stops
# make; the last line counts the eleven stages that passed.
check: deps
	$(MAKE) format-check
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) asan-unit
	$(MAKE) cli-tests
	$(MAKE) BUILD=build/asan SAN=1 cli-tests
	$(MAKE) BUILD=build/asan SAN=1 cli-tests-pg
	$(MAKE) render-test
	$(MAKE) browser-test
	$(MAKE) interop-test
	$(MAKE) fuzz-smoke
	@echo "check: 11 passed, 0 failed"

unit: $(UNIT_BIN)
	@scripts/run-unit $(UNIT_BIN)

asan-unit:
	$(MAKE) BUILD=build/asan SAN=1 unit

cli-tests: $(BUILD)/padron $(BUILD)/tests/envelope-tool
	@PADRON=$(BUILD)/padron ENVELOPE_TOOL=$(BUILD)/tests/envelope-tool tests/cli/run

# The same suite on a PostgreSQL 15 server it starts and removes (scripts/pg-test-server).
cli-tests-pg: $(BUILD)/padron $(BUILD)/tests/envelope-tool
	@PADRON=$(BUILD)/padron ENVELOPE_TOOL=$(BUILD)/tests/envelope-tool tests/cli/run --postgresql

# Rendered QR codes, cards and letters read back by tools that share no code with
# ours: pdftoppm + zbarimg, xmllint (tests/render/run).
$(BUILD)/tests/render-tool: $(BUILD)/obj/tests/render/render-tool.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

render-test: $(BUILD)/tests/render-tool
	@RENDER_TOOL=$(BUILD)/tests/render-tool tests/render/run

# The HTML pages in headless Chromium: status, language, weight, axe-core, the
# wizard (tests/browser/README.md). npm ci runs only when node_modules is missing
# or older than the lock; screenshots land in build/browser/.
browser-test: $(BUILD)/padron tests/browser/node_modules/.package-lock.json
	@PADRON=$(BUILD)/padron node tests/browser/run.mjs

tests/browser/node_modules/.package-lock.json: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	@touch $@

# Signed envelopes against independent JavaScript implementations (cose-js,
# cbor, base45), both ways (tests/interop/README.md).
$(BUILD)/tests/envelope-tool: $(BUILD)/obj/tests/interop/envelope-tool.o $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

interop-test: $(BUILD)/tests/envelope-tool tests/interop/node_modules/.package-lock.json
	@ENVELOPE_TOOL=$(BUILD)/tests/envelope-tool node tests/interop/run.mjs

tests/interop/node_modules/.package-lock.json: tests/interop/package.json tests/interop/package-lock.json
	cd tests/interop && npm ci --no-audit --no-fund
	@touch $@

fuzz: $(FUZZ_BIN)

# A few seconds per harness over its committed seeds; new inputs go to a scratch
# directory so the committed corpus stays small and reviewed.
fuzz-smoke: $(FUZZ_BIN)
	@scripts/fuzz-smoke $(FUZZ_SECONDS) $(FUZZ_BIN)

FORMAT_FILES = $(shell git ls-files -co --exclude-standard -- '*.c' '*.h')

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format: tree is formatted"

bench: $(BUILD)/padron
	bench/identifiers

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
