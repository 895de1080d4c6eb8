// Package web holds Mend's pages (templ components) and static files.
//
// Pages take one props struct each and never call services; handlers in
// internal/server build the props. Generated *_templ.go files are committed;
// run `make generate` after editing a .templ file.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed static
var static embed.FS

// Static is the folder of static files, served under /static/.
var Static, _ = fs.Sub(static, "static")

// assetVersions maps a static file's name to a short hash of its content.
var assetVersions = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(Static, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Static, path)
		sum := sha256.Sum256(b)
		m[path] = hex.EncodeToString(sum[:])[:10]
		return err
	})
	return m
})

// Asset returns the URL of a static file with its content hash, so that
// browsers may cache it for a year and still see every change.
func Asset(name string) string {
	return "/static/" + name + "?v=" + assetVersions()[name]
}

// AssetVersion returns the current content hash of a static file, or "".
func AssetVersion(name string) string { return assetVersions()[name] }
