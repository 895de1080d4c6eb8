package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

const goodPassword = "slow mornings, honest words"

// clock is a settable time source for the throttle window.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newAccounts(t *testing.T) (*service.Accounts, *postgres.DB, *clock) {
	t.Helper()
	db := pgtest.NewDB(t)
	c := &clock{t: time.Now()}
	a := service.NewAccounts(db)
	a.Now = c.now
	return a, db, c
}

func signUp(t *testing.T, a *service.Accounts, email string) *mend.User {
	t.Helper()
	return signUpConfirmed(t, a, service.SignUpInput{
		Name: "Robin", Email: email, Password: goodPassword, TimeZone: "Europe/Lisbon",
	}, "192.0.2.1")
}

// signUpConfirmed signs up with in, then confirms with the link from the
// outbox, and returns the account.
func signUpConfirmed(t *testing.T, a *service.Accounts, in service.SignUpInput, client string) *mend.User {
	t.Helper()
	ctx := context.Background()
	if _, err := a.SignUp(ctx, in, client); err != nil {
		t.Fatalf("sign up %s: %v", in.Email, err)
	}
	_, token := pgtest.ConfirmLink(t, a.Store.(*postgres.DB), in.Email)
	u, err := a.ConfirmSignUp(ctx, token)
	if err != nil {
		t.Fatalf("confirm %s: %v", in.Email, err)
	}
	return u
}

func fieldErr(t *testing.T, err error, field string) string {
	t.Helper()
	me, ok := err.(*mend.Error)
	if !ok || me.Code != mend.Invalid {
		t.Fatalf("want an Invalid error, got %v", err)
	}
	return me.Fields[field]
}

func TestAccounts_SignUpThenLogIn(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	ctx := context.Background()
	u := signUp(t, a, "Robin@Example.org")
	if u.ID == 0 || u.Email != "Robin@Example.org" || u.TimeZone != "Europe/Lisbon" {
		t.Fatalf("unexpected user %+v", u)
	}
	got, err := a.LogIn(ctx, "robin@example.ORG", goodPassword, "192.0.2.1")
	if err != nil {
		t.Fatalf("log in with other case: %v", err)
	}
	if got.ID != u.ID {
		t.Fatalf("logged in as %d, want %d", got.ID, u.ID)
	}
}

func TestAccounts_DuplicateEmailWhateverTheCaseGetsANotice(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	u := signUp(t, a, "sam@example.org")
	sent, err := a.SignUp(context.Background(), service.SignUpInput{
		Name: "Other", Email: "SAM@example.org", Password: "another fine passphrase", TimeZone: "UTC",
	}, "192.0.2.1")
	if err != nil || !sent {
		t.Fatalf("sign-up with a taken email: sent %v, %v", sent, err)
	}
	subjects, bodies := pgtest.Bodies(t, db, "sam@example.org")
	if len(bodies) != 2 || !strings.Contains(bodies[1], "You already have one") || strings.Contains(bodies[1], "/signup/confirm/") {
		t.Fatalf("emails to the account: %q\n%q", subjects, bodies)
	}
	if got, err := a.LogIn(context.Background(), "sam@example.org", goodPassword, "192.0.2.1"); err != nil || got.ID != u.ID || got.Name != "Robin" {
		t.Fatalf("the account changed: %+v, %v", got, err)
	}
}

func TestAccounts_SignUpValidatesEveryField(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	_, err := a.SignUp(context.Background(), service.SignUpInput{
		Name: "  ", Email: "not-an-email", Password: "password1", TimeZone: "Mars/Olympus",
	}, "192.0.2.1")
	for _, f := range []string{"name", "email", "password", "time_zone"} {
		if fieldErr(t, err, f) == "" {
			t.Errorf("no message for %s", f)
		}
	}
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("users after refused sign-up = %d (%v)", n, err)
	}
}

func TestAccounts_WrongPasswordAndUnknownEmailLookTheSame(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	signUp(t, a, "kim@example.org")
	ctx := context.Background()
	_, errWrong := a.LogIn(ctx, "kim@example.org", "not the password", "192.0.2.1")
	_, errUnknown := a.LogIn(ctx, "nobody@example.org", "not the password", "192.0.2.1")
	if mend.ErrorCode(errWrong) != mend.Unauthorized || mend.ErrorCode(errUnknown) != mend.Unauthorized {
		t.Fatalf("codes: wrong=%v unknown=%v", errWrong, errUnknown)
	}
	if mend.ErrorMessage(errWrong) != mend.ErrorMessage(errUnknown) {
		t.Fatalf("messages differ: %q vs %q", mend.ErrorMessage(errWrong), mend.ErrorMessage(errUnknown))
	}
}

func TestAccounts_ThrottleFromEleventhFailureForOneAccount(t *testing.T) {
	t.Parallel()
	a, _, clk := newAccounts(t)
	signUp(t, a, "lee@example.org")
	ctx := context.Background()
	for i := 1; i <= service.MaxAccountFailures; i++ {
		// Each failure from a different address: the account count still grows.
		_, err := a.LogIn(ctx, "lee@example.org", "wrong guess", "198.51.100."+string(rune('0'+i%10)))
		if mend.ErrorCode(err) != mend.Unauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// The 11th attempt is refused even with the right password.
	_, err := a.LogIn(ctx, "LEE@example.org", goodPassword, "203.0.113.9")
	if mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("11th attempt: want Throttled, got %v", err)
	}
	// An unknown email is throttled in exactly the same way (no existence leak).
	for range service.MaxAccountFailures {
		a.LogIn(ctx, "ghost@example.org", "x", "203.0.113.10")
	}
	if _, err := a.LogIn(ctx, "ghost@example.org", "x", "203.0.113.11"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("unknown email after 10 failures: %v", err)
	}
	// After the window the account may try again.
	clk.t = clk.t.Add(service.ThrottleWindow + time.Second)
	if _, err := a.LogIn(ctx, "lee@example.org", goodPassword, "203.0.113.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestAccounts_ThrottlePerClientAddress(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	signUp(t, a, "ari@example.org")
	ctx := context.Background()
	// 99 failures from one office address, spread over many accounts
	// (recorded directly: hashing 99 passwords would only slow the test).
	for i := range service.MaxClientFailures - 1 {
		key := []byte{byte(i), 1, 2, 3}
		if err := db.RecordLoginFailure(ctx, key, "192.0.2.50", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// The 100th failure goes through the service and is still checked.
	if _, err := a.LogIn(ctx, "someone@example.org", "guess", "192.0.2.50"); mend.ErrorCode(err) != mend.Unauthorized {
		t.Fatalf("100th failure: %v", err)
	}
	// Now the address is throttled, even for a person with the right password...
	if _, err := a.LogIn(ctx, "ari@example.org", goodPassword, "192.0.2.50"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("after 100 failures from the address: %v", err)
	}
	// ...but not from another address.
	if _, err := a.LogIn(ctx, "ari@example.org", goodPassword, "192.0.2.51"); err != nil {
		t.Fatalf("other address: %v", err)
	}
}

func TestAccounts_SuccessfulLogInClearsAccountFailures(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	signUp(t, a, "jo@example.org")
	ctx := context.Background()
	for range service.MaxAccountFailures - 1 {
		a.LogIn(ctx, "jo@example.org", "wrong", "192.0.2.7")
	}
	if _, err := a.LogIn(ctx, "jo@example.org", goodPassword, "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	for range service.MaxAccountFailures - 1 {
		a.LogIn(ctx, "jo@example.org", "wrong", "192.0.2.7")
	}
	if _, err := a.LogIn(ctx, "jo@example.org", goodPassword, "192.0.2.7"); err != nil {
		t.Fatalf("failures before the good log-in should have been forgotten: %v", err)
	}
}

func TestAccounts_ChangePassword(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	u := signUp(t, a, "max@example.org")
	ctx := context.Background()
	const newPW = "a new page, written together"

	_, err := a.ChangePassword(ctx, u, service.ChangePasswordInput{Current: "not it", New: newPW, Confirm: newPW}, "192.0.2.1")
	if fieldErr(t, err, "current") == "" {
		t.Fatal("wrong current password accepted")
	}
	_, err = a.ChangePassword(ctx, u, service.ChangePasswordInput{Current: goodPassword, New: newPW, Confirm: newPW + "x"}, "192.0.2.1")
	if fieldErr(t, err, "confirm") == "" {
		t.Fatal("mismatched confirmation accepted")
	}
	_, err = a.ChangePassword(ctx, u, service.ChangePasswordInput{Current: goodPassword, New: "iloveyou", Confirm: "iloveyou"}, "192.0.2.1")
	if fieldErr(t, err, "new") == "" {
		t.Fatal("common password accepted")
	}

	validAfter, err := a.ChangePassword(ctx, u, service.ChangePasswordInput{Current: goodPassword, New: newPW, Confirm: newPW}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if !validAfter.After(u.SessionsValidAfter) {
		t.Fatalf("sessions_valid_after did not move: %v → %v", u.SessionsValidAfter, validAfter)
	}
	if _, err := a.LogIn(ctx, "max@example.org", goodPassword, "192.0.2.1"); mend.ErrorCode(err) != mend.Unauthorized {
		t.Fatalf("old password still works: %v", err)
	}
	if _, err := a.LogIn(ctx, "max@example.org", newPW, "192.0.2.1"); err != nil {
		t.Fatalf("new password: %v", err)
	}
}

func TestAccounts_UpdateProfile(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	u := signUp(t, a, "eli@example.org")
	ctx := context.Background()
	_, err := a.UpdateProfile(ctx, u, service.ProfileInput{Name: strings.Repeat("n", 101), TimeZone: "Nowhere/City"})
	if fieldErr(t, err, "name") == "" || fieldErr(t, err, "time_zone") == "" {
		t.Fatal("bad profile accepted")
	}
	got, err := a.UpdateProfile(ctx, u, service.ProfileInput{Name: "  Eli   M. ", TimeZone: "Pacific/Honolulu"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Eli M." || got.TimeZone != "Pacific/Honolulu" {
		t.Fatalf("profile = %q %q", got.Name, got.TimeZone)
	}
	again, err := a.User(ctx, u.ID)
	if err != nil || again.Name != "Eli M." {
		t.Fatalf("stored profile = %+v (%v)", again, err)
	}
}

func TestAccounts_ForgetExpired(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	db.RecordLoginFailure(ctx, []byte("a"), "192.0.2.1", clk.t.Add(-time.Hour))
	db.RecordLoginFailure(ctx, []byte("b"), "192.0.2.1", clk.t.Add(-time.Minute))
	n, err := a.ForgetExpired(ctx)
	if err != nil || n != 1 {
		t.Fatalf("removed %d (%v), want 1", n, err)
	}
}

func TestAccounts_SameSignUpFormTwiceGivesOneAccount(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	ctx := context.Background()
	in := service.SignUpInput{Name: "Robin", Email: "robin@example.org", Password: goodPassword, TimeZone: "UTC", FormKey: service.NewFormKey()}

	// Twenty submissions of one form at once: one account, one email, and
	// every submission gets the same answer.
	const n = 20
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := a.SignUp(ctx, in, "192.0.2.1")
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("a resubmission failed: %v", err)
		}
	}
	var users int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users)
	if users != 1 {
		t.Fatalf("%d users after one form sent %d times", users, n)
	}
	if _, bodies := pgtest.Bodies(t, db, in.Email); len(bodies) != 1 || !strings.Contains(bodies[0], service.ConfirmPath) {
		t.Fatalf("emails after one form sent %d times: %q", n, bodies)
	}

	// The same form with another password, or another form, is a new
	// sign-up for a taken email: the account gets one notice.
	other := in
	other.Password = "someone else entirely"
	if _, err := a.SignUp(ctx, other, "192.0.2.1"); err != nil {
		t.Fatalf("same key, other password: %v", err)
	}
	fresh := in
	fresh.FormKey = service.NewFormKey()
	if _, err := a.SignUp(ctx, fresh, "192.0.2.1"); err != nil {
		t.Fatalf("other form: %v", err)
	}
	if _, bodies := pgtest.Bodies(t, db, in.Email); len(bodies) != 2 || !strings.Contains(bodies[1], "You already have one") {
		t.Fatalf("emails after two more sign-ups: %q", bodies)
	}
}

func TestAccounts_ParallelGuessesCannotSlipPastTheThrottle(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	signUp(t, a, "par@example.org")
	ctx := context.Background()
	const n = 30
	codes := make(chan mend.Code, n)
	for i := range n {
		go func() {
			_, err := a.LogIn(ctx, "par@example.org", "guess", "198.51.100."+strconv.Itoa(i))
			codes <- mend.ErrorCode(err)
		}()
	}
	checked := 0
	for range n {
		switch c := <-codes; c {
		case mend.Unauthorized:
			checked++
		case mend.Throttled:
		default:
			t.Fatalf("unexpected outcome %v", c)
		}
	}
	if checked > service.MaxAccountFailures {
		t.Fatalf("%d of %d parallel guesses had their password checked; at most %d may", checked, n, service.MaxAccountFailures)
	}
}

func TestAccounts_WrongCurrentPasswordsAreThrottled(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	u := signUp(t, a, "phone@example.org")
	ctx := context.Background()
	in := service.ChangePasswordInput{Current: "guess", New: "a new page, written together", Confirm: "a new page, written together"}
	for range service.MaxAccountFailures {
		if _, err := a.ChangePassword(ctx, u, in, "192.0.2.1"); fieldErr(t, err, "current") == "" {
			t.Fatal("wrong current password accepted")
		}
	}
	in.Current = goodPassword
	if _, err := a.ChangePassword(ctx, u, in, "192.0.2.1"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("after 10 wrong current passwords: %v, want Throttled", err)
	}
	// The same count guards log-in: the account is throttled there too.
	if _, err := a.LogIn(ctx, "phone@example.org", goodPassword, "192.0.2.2"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("log-in after 10 wrong current passwords: %v", err)
	}
}

func TestAccounts_SignUpStopsAfterManyLogInFailuresFromTheAddress(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	signUp(t, a, "taken@example.org")
	for i := range service.MaxClientFailures {
		db.RecordLoginFailure(ctx, []byte{byte(i)}, "203.0.113.7", clk.t)
	}
	in := service.SignUpInput{Name: "X", Email: "free@example.org", Password: "another fine passphrase", TimeZone: "UTC"}
	if _, err := a.SignUp(ctx, in, "203.0.113.7"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("sign-up after 100 failures from the address: %v", err)
	}
	if _, err := a.SignUp(ctx, in, "203.0.113.8"); err != nil {
		t.Fatalf("another address: %v", err)
	}
	// A taken email no longer counts as a failure: the answer tells nothing.
	in.Email = "taken@example.org"
	if _, err := a.SignUp(ctx, in, "203.0.113.9"); err != nil {
		t.Fatalf("taken email: %v", err)
	}
	if _, client, err := db.CountLoginFailures(ctx, []byte("x"), "203.0.113.9", clk.t.Add(-time.Hour)); err != nil || client != 0 {
		t.Fatalf("failures counted for a taken email: %d, %v", client, err)
	}
}

func TestAccounts_SignUpFormKeyReusedWithAnotherEmail(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	ctx := context.Background()
	in := service.SignUpInput{Name: "R", Email: "first@example.org", Password: goodPassword, TimeZone: "UTC", FormKey: service.NewFormKey()}
	first := signUpConfirmed(t, a, in, "192.0.2.1")
	// Back button, edited email, same form: a second account, not a 500.
	in.Email = "second@example.org"
	second := signUpConfirmed(t, a, in, "192.0.2.1")
	if second.ID == first.ID {
		t.Fatalf("edited resubmission: ids %d, %d", first.ID, second.ID)
	}
	var users int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users)
	if users != 2 {
		t.Fatalf("%d users", users)
	}
}

func TestAccounts_ChangeEmail(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	u := signUp(t, a, "june@example.org")
	signUp(t, a, "taken-too@example.org")
	ctx := context.Background()

	_, err := a.ChangeEmail(ctx, u, service.ChangeEmailInput{Email: "june.new@example.org", Password: "not it"}, "192.0.2.1")
	if fieldErr(t, err, "password") == "" {
		t.Fatal("wrong password accepted")
	}
	_, err = a.ChangeEmail(ctx, u, service.ChangeEmailInput{Email: "june.new@example.org"}, "192.0.2.1")
	if fieldErr(t, err, "password") == "" {
		t.Fatal("missing password accepted")
	}
	for _, bad := range []string{"", "not an email", "june@localhost"} {
		_, err = a.ChangeEmail(ctx, u, service.ChangeEmailInput{Email: bad, Password: goodPassword}, "192.0.2.1")
		if fieldErr(t, err, "email") == "" {
			t.Fatalf("email %q accepted", bad)
		}
	}
	// Another account's email, whatever the case: sign-up's words, no more.
	_, err = a.ChangeEmail(ctx, u, service.ChangeEmailInput{Email: "Taken-Too@example.org", Password: goodPassword}, "192.0.2.1")
	if msg := fieldErr(t, err, "email"); !strings.Contains(msg, "already exists") {
		t.Fatalf("taken email message = %q", msg)
	}

	got, err := a.ChangeEmail(ctx, u, service.ChangeEmailInput{Email: " June.New@example.org ", Password: goodPassword}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "June.New@example.org" {
		t.Fatalf("email = %q", got.Email)
	}
	if _, err := a.LogIn(ctx, "june.new@example.org", goodPassword, "192.0.2.1"); err != nil {
		t.Fatalf("log in with the new email: %v", err)
	}
	if _, err := a.LogIn(ctx, "june@example.org", goodPassword, "192.0.2.1"); mend.ErrorCode(err) != mend.Unauthorized {
		t.Fatalf("old email still logs in: %v", err)
	}
	// The old address is free again.
	signUp(t, a, "june@example.org")
}

func TestAccounts_WrongPasswordsForEmailChangeAreThrottled(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	u := signUp(t, a, "lent@example.org")
	ctx := context.Background()
	in := service.ChangeEmailInput{Email: "mine-now@example.org", Password: "guess"}
	for range service.MaxAccountFailures {
		if _, err := a.ChangeEmail(ctx, u, in, "192.0.2.1"); fieldErr(t, err, "password") == "" {
			t.Fatal("wrong password accepted")
		}
	}
	in.Password = goodPassword
	if _, err := a.ChangeEmail(ctx, u, in, "192.0.2.1"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("after 10 wrong passwords: %v, want Throttled", err)
	}
	if got, err := a.User(ctx, u.ID); err != nil || got.Email != "lent@example.org" {
		t.Fatalf("email after throttle = %+v (%v)", got, err)
	}
}

func TestAccounts_TakenEmailsCountAgainstTheAddress(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	u := signUp(t, a, "tester@example.org")
	signUp(t, a, "someone@example.org")
	for i := range service.MaxClientFailures - 1 {
		db.RecordLoginFailure(ctx, []byte{byte(i)}, "203.0.113.9", clk.t)
	}
	in := service.ChangeEmailInput{Email: "someone@example.org", Password: goodPassword}
	if _, err := a.ChangeEmail(ctx, u, in, "203.0.113.9"); fieldErr(t, err, "email") == "" {
		t.Fatal("want email taken")
	}
	in.Email = "free@example.org"
	if _, err := a.ChangeEmail(ctx, u, in, "203.0.113.9"); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("email change after 100 failures from the address: %v", err)
	}
}

func TestAccounts_ChangeProfessionalName(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	ctx := context.Background()
	partner := signUp(t, a, "partner@example.org")
	if _, err := a.ChangeProfessionalName(ctx, partner, "Robin Ames"); mend.ErrorCode(err) != mend.Forbidden {
		t.Fatalf("a partner renamed as a therapist: %v", err)
	}
	th := signUpConfirmed(t, a, service.SignUpInput{Name: "Tess", Email: "tess@example.org", Password: goodPassword, TimeZone: "UTC",
		Therapist: true, ProfessionalName: "Tess Moreau"}, "192.0.2.1")
	for _, bad := range []string{"   ", strings.Repeat("t", 101)} {
		if _, err := a.ChangeProfessionalName(ctx, th, bad); fieldErr(t, err, "professional_name") == "" {
			t.Fatalf("professional name %q accepted", bad)
		}
	}
	got, err := a.ChangeProfessionalName(ctx, th, "  Dr.  Tess   Moreau ")
	if err != nil {
		t.Fatal(err)
	}
	if got.ProfessionalName != "Dr. Tess Moreau" || !got.IsTherapist() {
		t.Fatalf("professional name = %q", got.ProfessionalName)
	}
	if again, err := a.User(ctx, th.ID); err != nil || again.ProfessionalName != "Dr. Tess Moreau" {
		t.Fatalf("stored = %+v (%v)", again, err)
	}
}
