# Mend — the two commands are `make run` and `make test`.
SHELL := /bin/bash
GO    ?= go
BIN   := .mend/bin/mend

.PHONY: run test check generate build bench clean stop-db

## run: start Mend on http://localhost:8080 (its own PostgreSQL unless DATABASE_URL is set)
run: build
	@$(BIN)

build:
	@mkdir -p .mend/bin
	@$(GO) build -o $(BIN) ./cmd/mend

## test: check formatting, vet and templ freshness, then run every test on a throwaway cluster
test: check
	@dir=$$(mktemp -d /tmp/mend-test-pg.XXXXXX); \
	MEND_TEST_PGDIR=$$dir $(GO) test -count=1 ./...; status=$$?; \
	$(GO) run ./cmd/mend pg stop $$dir >/dev/null 2>&1; rm -rf $$dir; \
	exit $$status

## check: gofmt, go vet, and committed *_templ.go files up to date
check:
	@out=$$(gofmt -l cmd internal migrations web); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) vet ./...
	@before=$$(cat $$(find web -name '*_templ.go' | sort) | sha256sum); \
	$(GO) tool templ generate >/dev/null 2>&1 || { echo "templ generate failed"; exit 1; }; \
	after=$$(cat $$(find web -name '*_templ.go' | sort) | sha256sum); \
	if [ "$$before" != "$$after" ]; then echo "*_templ.go files were stale: regenerated them, commit the result"; exit 1; fi

## generate: regenerate the *_templ.go files after editing .templ files
generate:
	@$(GO) tool templ generate

## bench: run the benchmarks against a throwaway cluster
bench:
	@dir=$$(mktemp -d /tmp/mend-bench-pg.XXXXXX); \
	MEND_TEST_PGDIR=$$dir $(GO) test -run '^$$' -bench . -benchmem ./...; status=$$?; \
	$(GO) run ./cmd/mend pg stop $$dir >/dev/null 2>&1; rm -rf $$dir; \
	exit $$status

## stop-db: stop the local cluster that `make run` keeps in .mend/postgres
stop-db:
	@$(GO) run ./cmd/mend pg stop

clean:
	rm -rf .mend/bin .mend/test-output
