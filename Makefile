# Entry points for people and CI. Everything real happens in CMake; this file only chains steps.
#   make run    install deps, build, create var/trustreg.db with demo content, show the product
#   make test   install deps, build with ASan+UBSan, run every test with ctest
#   make bench  build optimised and run the benchmarks in bench/
#   make fuzz   build the libFuzzer harnesses with clang (see docs/fuzzing.md)

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DB         ?= var/trustreg.db

.PHONY: all deps build build-asan run test bench fuzz clean format

all: build

deps:
	@./scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRUSTREG_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

run: build
	@./scripts/demo "$(BUILD)/trustreg" "$(DB)"

test: build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: deps
	@./scripts/install-deps --bench
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRUSTREG_TESTS=OFF >/dev/null
	cmake --build build-bench -j $(JOBS)
	@for b in bench/*.sh; do echo "== $$b"; TRUSTREG=build-bench/trustreg bash $$b || exit 1; done

fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRUSTREG_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-bench
