# procmgr: the two commands a new user runs, and the pieces they are made of.
# Everything is CMake underneath (CMakePresets.json); this file only strings
# the steps together and installs what is missing first.
#
#   make run     build every preset, show the freestanding size report, then
#                the main job: real programs run through procmgr's exec (pmexec)
#   make test    the whole test suite: host, sanitizers, Valgrind, short fuzzing,
#                freestanding symbol check and docs
#
# Finer targets: deps, build, unit, asan, memcheck, freestanding, docs,
# fuzz, fuzz-long, format, format-check, tidy, bench, ci, clean.

.PHONY: all run test deps build unit asan memcheck freestanding docs \
        format format-check tidy bench fuzz fuzz-long ci clean

CMAKE ?= cmake
CTEST ?= ctest

all: run

deps:
	@./scripts/install-deps.sh

# -- configure + build one preset: $(call preset,NAME)
define preset
	@$(CMAKE) --preset $(1) >/dev/null
	@$(CMAKE) --build --preset $(1)
endef

build: deps
	$(call preset,host)

run: deps
	$(call preset,host)
	$(call preset,host-asan)
	$(call preset,x86_64-kernel)
	$(call preset,riscv64-kernel)
	@./scripts/size-report.sh build/x86_64-kernel build/riscv64-kernel
	@./scripts/pmexec-demo.sh build/host/ports/host/pmexec/pmexec

unit: build
	@$(CTEST) --preset host

asan: deps
	$(call preset,host-asan)
	@$(CTEST) --preset host-asan

memcheck: deps
	$(call preset,host-memcheck)
	@$(CTEST) --preset host-memcheck

freestanding: build
	@$(CMAKE) --build --preset host --target check-freestanding

docs: build
	@$(CMAKE) --build --preset host --target docs

fuzz: deps
	$(call preset,host-fuzz)
	@$(CTEST) --preset host-fuzz

fuzz-long: deps
	$(call preset,host-fuzz)
	@$(CMAKE) --build --preset host-fuzz --target fuzz-long

test: unit asan memcheck fuzz freestanding docs
	@echo "procmgr: all tests passed"

format: build
	@$(CMAKE) --build --preset host --target format

format-check: build
	@$(CMAKE) --build --preset host --target format-check

tidy: build
	@$(CMAKE) --build --preset host --target tidy

bench: deps
	$(call preset,host-release)
	@$(CMAKE) --build --preset host-release --target bench

ci: test format-check tidy

clean:
	rm -rf build
