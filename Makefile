# The two commands of the quick start. Both install what is missing first (scripts/install-deps.sh).
PRESET ?= release
BUILD_DIR := build/$(PRESET)
CLI := $(BUILD_DIR)/app/wslab-cli/wslab-cli
GUI := $(BUILD_DIR)/app/wslab/wslab
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run serve test test-asan fuzz ci bench package clean format check-format

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Opens the lab window when there is a display; otherwise serves in echo mode on 127.0.0.1:8080.
run: build
	@if [ -x "$(GUI)" ] && [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		exec "$(GUI)"; \
	else \
		echo "no display: starting wslab-cli serve (Ctrl+C stops it)"; \
		exec "$(CLI)" serve --host 127.0.0.1 --port 8080 --mode echo; \
	fi

serve: build
	@exec "$(CLI)" serve --host 127.0.0.1 --port 8080 --mode echo

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan

# The HTTP request parser and the frame decoder under libFuzzer for FUZZ_SECONDS (default 30 in all),
# built as CMake targets of the fuzz preset.
FUZZ_SECONDS ?= 30
fuzz: deps
	@JOBS=$(JOBS) bash scripts/fuzz.sh $(FUZZ_SECONDS)

# The benchmark suite: every server under the same loads, one table with ratios to wslab-cli serve
# (bench/README.md). Bounded; under 10 minutes.
bench: build
	@bash bench/run.sh $(BUILD_DIR)

# The Debian package of this build, $(BUILD_DIR)/wslab_<version>_<arch>.deb, made by CPack (packaging/);
# `sudo apt install ./$(BUILD_DIR)/wslab_*.deb` installs it. This target never installs anything.
package: build
	@cmake --build $(BUILD_DIR) --target package

# Every C++ file as .clang-format wants it; CI fails on a file that is not (scripts/check-format.sh).
format: deps
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

check-format: deps
	@bash scripts/check-format.sh

# What CI runs: the formatting check, the suite, the suite under sanitizers, and a bounded fuzzing run.
ci: check-format test test-asan fuzz

clean:
	@rm -rf build
