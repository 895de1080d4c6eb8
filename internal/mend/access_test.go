package mend_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

// storeOnly are the constructors of an access: only the store may call them.
var storeOnly = map[string]bool{"StoreOnlyPartnerAccess": true, "StoreOnlyTherapistAccess": true}

// TestStoreOnly_AccessIsMadeOnlyByTheStore reads every Go file of the module
// that is not a test and fails when anything outside internal/postgres names
// an access constructor: an access comes from the caller's membership or
// link, which only the store can find.
func TestStoreOnly_AccessIsMadeOnlyByTheStore(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	byStore := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		declared := map[*ast.Ident]bool{}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && rel == "internal/mend/access.go" {
				declared[fn.Name] = true
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || !storeOnly[id.Name] || declared[id] {
				return true
			}
			if strings.HasPrefix(rel, "internal/postgres/") {
				byStore++
			} else {
				t.Errorf("%s names mend.%s: only the store (internal/postgres) makes an access", rel, id.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if byStore == 0 {
		t.Fatal("the store makes no access: is this test reading the module?")
	}
}

func TestAccess_KindsAndZero(t *testing.T) {
	p := mend.StoreOnlyPartnerAccess(7, 11)
	th := mend.StoreOnlyTherapistAccess(7, 12)
	for _, c := range []struct {
		r            mend.Reader
		couple, user int64
		role         mend.Role
	}{{p, 7, 11, mend.RolePartner}, {th, 7, 12, mend.RoleTherapist}} {
		if c.r.CoupleID() != c.couple || c.r.UserID() != c.user || c.r.Role() != c.role {
			t.Errorf("%T = couple %d, user %d, role %s", c.r, c.r.CoupleID(), c.r.UserID(), c.r.Role())
		}
	}
	if p.IsZero() || th.IsZero() || !(mend.PartnerAccess{}).IsZero() || !(mend.TherapistAccess{}).IsZero() {
		t.Error("IsZero is wrong")
	}
}

// Every kind a partner shares has words for a sentence, and no label's
// note in brackets reaches one.
func TestKindWords_EveryKindHasWordsWithoutBrackets(t *testing.T) {
	for _, k := range mend.SharedKinds {
		w := mend.KindWords(k.Value)
		if w == k.Value && k.Value != mend.KindCommitments && k.Value != mend.KindTriggers {
			t.Errorf("%s has no words of its own for a sentence", k.Value)
		}
		if strings.ContainsAny(w, "()") || w == "" {
			t.Errorf("%s reads %q inside a sentence", k.Value, w)
		}
	}
}
