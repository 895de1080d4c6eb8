package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/service"
)

// idParam reads a positive number from the path; anything else is a 404.
func idParam(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// coupleParam reads {coupleID}; anything but a positive number is a 404.
func coupleParam(r *http.Request) (int64, error) { return idParam(r, "coupleID") }

// weeksParam reads ?weeks=; the services choose a default for anything
// that is not a number.
func weeksParam(r *http.Request) int {
	weeks, _ := strconv.Atoi(r.URL.Query().Get("weeks"))
	return weeks
}

// recordNotFound answers a page that names a record by its id with a 404
// when the caller has no space: an id in the path is never answered with a
// redirect, like any record that is not the caller's.
func recordNotFound(err error) error {
	if errors.Is(err, service.ErrNoSpace) {
		return errNotFound
	}
	return err
}
