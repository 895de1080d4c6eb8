package service_test

import (
	"os"
	"testing"

	"github.com/mend-app/mend/internal/password"
)

// Passwords are hashed cheaply here: the cost under test is the number of
// sign-ups, not Argon2's (internal/password tests it at its real cost).
func TestMain(m *testing.M) {
	password.UseCheapHashesInTests()
	os.Exit(m.Run())
}
