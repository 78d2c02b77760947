# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper over CMake. `make run` and `make test` are the README's two
# commands; each installs missing Debian packages first.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz-asan
FUZZ_SECONDS ?= 20
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps build run test test-asan test-linux fuzz-smoke format format-check clean

all: build

deps:
	@./tools/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@./tools/make-run.sh $(BUILD)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Linux's arm-smmu-v3 + tegra241-cmdqv drivers (Debian's linux-source-6.12)
# on the model: installs the source package, configures with it, runs the
# LinuxDriver suite (docs/linux-driver.md).  The binaries are GPL-2.0
# combined works and stay in $(BUILD).
LINUX_TARBALL ?= /usr/src/linux-source-6.12.tar.xz
test-linux:
	@./tools/install-deps.sh linux-source-6.12
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMDQV_LINUX_TARBALL=$(LINUX_TARBALL) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS) --target cmdqv_linux_tests cmdqv-linux
	ctest --test-dir $(BUILD) -R LinuxDriver --output-on-failure -j $(JOBS)

# Address + undefined-behaviour sanitizer build of everything, same tests.
test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMDQV_SANITIZE=address,undefined $(CMAKE_ARGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

# Every fuzz target (testbench/fuzz) for FUZZ_SECONDS each, libFuzzer with
# clang, under ASan + UBSan; a finding fails (docs/guest-isolation.md).
FUZZ_TARGETS = fuzz_guest_surface fuzz_scenario fuzz_trace fuzz_qemu fuzz_config
fuzz-smoke: deps
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
		-DCMAKE_CXX_COMPILER=clang++ -DCMDQV_BUILD_FUZZ=ON -DCMDQV_SANITIZE=address,undefined \
		-DCMDQV_BUILD_TLM=OFF -DCMDQV_BUILD_TESTS=OFF $(CMAKE_ARGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target $(FUZZ_TARGETS)
	./testbench/fuzz/smoke.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

format:
	@git ls-files '*.c' '*.h' '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@git ls-files '*.c' '*.h' '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) out
