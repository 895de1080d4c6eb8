# Mend — the two commands are `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
# go.mod needs Go 1.26.10 or newer (go-mail's patch release does) and machines here ship an
# older Go with GOTOOLCHAIN=local: the go command fetches this toolchain from the module proxy
# once (76 MB) and runs it. README.md says the same for commands run outside make.
export GOTOOLCHAIN := go1.27.3
BIN   := .mend/bin/mend

.PHONY: run demo test check security drills fuzz generate build bench bench-pages clean stop-db

## run: start Mend on http://localhost:8080 (its own PostgreSQL unless DATABASE_URL is set)
run: build
	@$(BIN)

## demo: seed a demo couple's year and a therapist's caseload into the database `make run` uses, and print the logins
demo: build
	@$(BIN) demo

build:
	@mkdir -p .mend/bin
	@$(GO) build -o $(BIN) ./cmd/mend

## test: run make check, then every test with the race detector on a throwaway cluster
test: check
	@dir=$$(mktemp -d /tmp/mend-test-pg.XXXXXX); \
	MEND_TEST_PGDIR=$$dir $(GO) test -race -count=1 -timeout 30m ./...; status=$$?; \
	$(GO) run ./cmd/mend pg stop $$dir >/dev/null 2>&1; rm -rf $$dir; \
	exit $$status

## check: gofmt, go vet, go.mod/go.sum tidy, staticcheck, and committed *_templ.go files
## matching their .templ files (none stale, none left without one)
check:
	@out=$$(gofmt -l cmd internal migrations web); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) vet ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy and commit the result"; exit 1; }
	@$(GO) tool staticcheck ./...
	@orphans=$$(find cmd internal web -name '*_templ.go' | while read -r f; do [ -f "$${f%_templ.go}.templ" ] || echo "$$f"; done); \
	if [ -n "$$orphans" ]; then echo "generated files whose .templ is gone (delete them):"; echo "$$orphans"; exit 1; fi
	@sums() { find cmd internal web -name '*_templ.go' -print0 | sort -z | xargs -0 -r sha256sum; }; \
	before=$$(sums); \
	out=$$($(GO) tool templ generate 2>&1) || { echo "$$out"; echo "templ generate failed"; exit 1; }; \
	if [ "$$before" != "$$(sums)" ]; then echo "*_templ.go files were stale: regenerated them, commit the result"; exit 1; fi

## security: gosec over the code (each finding fixed or justified with #nosec on its line), and no
## module the build or its tools use lags a patch release of its own version (needs the module proxy)
security:
	@$(GO) run github.com/securego/gosec/v2/cmd/gosec@v2.30.0 -quiet ./...
	@used=$$($(GO) list -deps -test -f '{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}' ./... tool | sort -u); \
	lag=$$($(GO) list -m -u -f '{{if .Update}}{{.Path}} {{.Version}} {{.Update.Version}}{{end}}' $$used | \
		awk 'NF == 3 && $$2 !~ /^v0\.0\.0-/ { split($$2, a, "."); split($$3, b, "."); if (a[1] == b[1] && a[2] == b[2]) print "  " $$0 }'); \
	if [ -n "$$lag" ]; then echo "modules behind a patch release (module, version, newest):"; echo "$$lag"; exit 1; fi; \
	echo "security: gosec passed; no module lags a patch release"

## drills: every reliability drill at full size, each printing its figures on a DRILL line (the
## whole log is in .mend/test-output/drills.log): SIGTERM with 50 requests in flight, database
## loss, a held lock, kill -9 during writes, migrations, backup and restore, the scanner, and the
## load with correctness; then `make fuzz`. `make test` runs the drills that take under a
## minute as well.
drills:
	@mkdir -p .mend/test-output; log=.mend/test-output/drills.log; \
	dir=$$(mktemp -d /tmp/mend-drill-pg.XXXXXX); \
	MEND_TEST_PGDIR=$$dir MEND_DRILLS=1 $(GO) test -count=1 -v -timeout 30m -run '^(TestDrill|TestBackup|TestMigrate|TestHostile|TestEscaping)' ./... > $$log 2>&1; status=$$?; \
	$(GO) run ./cmd/mend pg stop $$dir >/dev/null 2>&1; rm -rf $$dir; \
	grep -h -o 'DRILL .*' $$log; \
	if [ $$status -ne 0 ]; then grep -v -E '^=== (RUN|PAUSE|CONT)' $$log | tail -300; echo "drills failed (the whole log: $$log)"; exit $$status; fi
	@$(MAKE) --no-print-directory fuzz

## fuzz: run each fuzz test (every func Fuzz… under cmd and internal) for FUZZTIME from its seed
## corpus (f.Add and testdata/fuzz), one target per run, and print the executions of each and in all
# Minimizing each new interesting input may take a minute by default, which stalls a brief run.
FUZZTIME ?= 5s
FUZZMINIMIZE ?= 100x
fuzz:
	@total=0; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' cmd internal | sort); do \
		pkg=./$$(dirname $$file); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			out=$$($(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg 2>&1) || { echo "$$out"; echo "fuzz: $$name ($$pkg) failed"; exit 1; }; \
			execs=$$(echo "$$out" | awk '/execs: / { n = $$0; sub(/.*execs: /, "", n); sub(/ .*/, "", n) } END { print n + 0 }'); \
			printf '%-24s %-20s %9d execs\n' $$name $$pkg $$execs; total=$$((total + execs)); \
		done; \
	done; \
	echo "fuzz: $$total executions in all, $(FUZZTIME) per target"

## generate: regenerate the *_templ.go files after editing .templ files
generate:
	@$(GO) tool templ generate

## bench: load every page of a seeded year against a baseline and print one Markdown table
## (COUPLES=2000 by default; `make bench COUPLES=200` for a quick run)
COUPLES ?= 2000
bench:
	@dir=$$(mktemp -d /tmp/mend-bench-pg.XXXXXX); \
	MEND_TEST_PGDIR=$$dir MEND_BENCH_COUPLES=$(COUPLES) $(GO) test -run '^$$' -bench '^BenchmarkSeededYear$$' -benchtime 1x -timeout 60m ./internal/bench; status=$$?; \
	$(GO) run ./cmd/mend pg stop $$dir >/dev/null 2>&1; rm -rf $$dir; \
	exit $$status

## bench-pages: the go test benchmarks of single pages (one couple each), on a throwaway cluster
bench-pages:
	@dir=$$(mktemp -d /tmp/mend-bench-pg.XXXXXX); \
	MEND_TEST_PGDIR=$$dir $(GO) test -run '^$$' -bench . -skip '^BenchmarkSeededYear$$' -benchmem ./...; status=$$?; \
	$(GO) run ./cmd/mend pg stop $$dir >/dev/null 2>&1; rm -rf $$dir; \
	exit $$status

## stop-db: stop the local cluster that `make run` keeps in .mend/postgres
stop-db:
	@$(GO) run ./cmd/mend pg stop

clean:
	rm -rf .mend/bin .mend/test-output
