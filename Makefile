# The two README commands (`make demo`, `make test`) and the developer targets.
# Every target installs what is missing first (scripts/install-deps.sh is idempotent).
PRESET ?= release
BUILD_DIR := build/$(PRESET)
GYM := $(BUILD_DIR)/src/gym/cli/gym
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test test-unit torture demo demo-cluster bench fuzz sanitize tsan format clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) > /dev/null

build: configure
	cmake --build --preset $(PRESET) -j $(JOBS)

# The whole suite: unit, end-to-end and slow tests.
test: build
	ctest --preset $(PRESET) -j $(JOBS)

# The quick part only.
test-unit: build
	ctest --preset $(PRESET) -j $(JOBS) -L unit

# The torture suite at full size (20 kill -9 cycles, shutdown cycles, a full disk, overload,
# every bad input at the wire); about ten minutes on two cores. `make test` runs a short one.
torture: build
	GYM_TORTURE=full GYM_BINARY=$(CURDIR)/$(GYM) $(BUILD_DIR)/src/gym/server/torture_e2e_test
	GYM_BINARY=$(CURDIR)/$(GYM) $(BUILD_DIR)/src/gym/server/server_truth_e2e_test

demo: build
	./scripts/demo.sh $(GYM)

# Three replicas on one PostgreSQL (root): the seed's sweep across them, then gym report.
demo-cluster: build
	./scripts/demo-cluster.sh $(GYM)

bench: build
	./scripts/bench.sh $(BUILD_DIR)

# AddressSanitizer + UBSan, and ThreadSanitizer, over the test suite.
sanitize:
	$(MAKE) test PRESET=debug
tsan:
	$(MAKE) test PRESET=tsan

fuzz: deps
	cmake --preset fuzz > /dev/null
	cmake --build --preset fuzz -j $(JOBS)
	./scripts/fuzz.sh build/fuzz

format:
	find src bench examples fuzz -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build
