package service_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

func robin(email string) service.SignUpInput {
	return service.SignUpInput{Name: "Robin", Email: email, Password: goodPassword, TimeZone: "Europe/Lisbon", FormKey: service.NewFormKey()}
}

func TestSignUp_NewEmailGetsALinkAndNoAccountUntilConfirmed(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	a.BaseURL = "https://mend.example.org/"
	ctx := context.Background()
	in := robin("Robin@Example.org")
	in.Next = "/join/abc?x=1"
	sent, err := a.SignUp(ctx, in, "192.0.2.1")
	if err != nil || !sent {
		t.Fatalf("sign up: sent %v, %v", sent, err)
	}
	subjects, bodies := pgtest.Bodies(t, db, "robin@example.org")
	if len(bodies) != 1 || subjects[0] != "Finish creating your Mend account" {
		t.Fatalf("emails: %q", subjects)
	}
	path, token := pgtest.ConfirmLink(t, db, "robin@example.org")
	if len(token) < 22 || path != "/signup/confirm/"+token+"?next=%2Fjoin%2Fabc%3Fx%3D1" ||
		!strings.Contains(bodies[0], "https://mend.example.org/signup/confirm/") {
		t.Fatalf("link %q in\n%s", path, bodies[0])
	}
	// Until confirmed, the right password does not log in: it says why.
	if _, err := a.LogIn(ctx, "robin@example.org", goodPassword, "192.0.2.1"); !service.IsConfirmFirst(err) ||
		mend.ErrorCode(err) != mend.Unauthorized || !strings.Contains(mend.ErrorMessage(err), "Robin@Example.org") {
		t.Fatalf("log in before confirming: %v", err)
	}
	if err := a.CheckSignUpLink(ctx, token); err != nil {
		t.Fatalf("check link: %v", err)
	}
	u, err := a.ConfirmSignUp(ctx, token)
	if err != nil || u.Email != "Robin@Example.org" || u.Name != "Robin" || u.TimeZone != "Europe/Lisbon" {
		t.Fatalf("confirm: %+v, %v", u, err)
	}
	got, err := a.LogIn(ctx, "robin@example.org", goodPassword, "192.0.2.1")
	if err != nil || got.ID != u.ID {
		t.Fatalf("log in after confirming: %+v, %v", got, err)
	}
	// The link works once.
	if err := a.CheckSignUpLink(ctx, token); !errors.Is(err, service.ErrConfirmLinkInvalid) {
		t.Fatalf("check a used link: %v", err)
	}
	if _, err := a.ConfirmSignUp(ctx, token); !errors.Is(err, service.ErrConfirmLinkInvalid) {
		t.Fatalf("confirm twice: %v", err)
	}
	for _, bad := range []string{"", "x", strings.Repeat("A", 43), token + "A"} {
		if _, err := a.ConfirmSignUp(ctx, bad); !errors.Is(err, service.ErrConfirmLinkInvalid) {
			t.Fatalf("confirm %q: %v", bad, err)
		}
	}
}

func TestSignUp_LinkExpiresAfterADay(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	if _, err := a.SignUp(ctx, robin("late@example.org"), "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	_, token := pgtest.ConfirmLink(t, db, "late@example.org")
	clk.t = clk.t.Add(service.ConfirmValidFor + time.Second)
	if err := a.CheckSignUpLink(ctx, token); !errors.Is(err, service.ErrConfirmLinkInvalid) {
		t.Fatalf("check an expired link: %v", err)
	}
	if _, err := a.ConfirmSignUp(ctx, token); !errors.Is(err, service.ErrConfirmLinkInvalid) {
		t.Fatalf("confirm with an expired link: %v", err)
	}
	// Logging in sends a new one, which works.
	if _, err := a.LogIn(ctx, "late@example.org", goodPassword, "192.0.2.1"); !service.IsConfirmFirst(err) {
		t.Fatalf("log in: %v", err)
	}
	_, fresh := pgtest.ConfirmLink(t, db, "late@example.org")
	if fresh == token {
		t.Fatal("no new link")
	}
	if _, err := a.ConfirmSignUp(ctx, fresh); err != nil {
		t.Fatalf("confirm with the new link: %v", err)
	}
}

func TestSignUp_ExistingAccountGetsOneNoticeAnHour(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	a.BaseURL = "https://mend.example.org"
	ctx := context.Background()
	owner := signUp(t, a, "owner@example.org")
	try := service.SignUpInput{Name: "Mallory", Email: "OWNER@example.org", Password: "a different long passphrase", TimeZone: "UTC"}
	for i := range 3 {
		sent, err := a.SignUp(ctx, try, "198.51.100.1")
		if err != nil || sent != (i == 0) {
			t.Fatalf("sign-up %d with a taken email: sent %v, %v", i, sent, err)
		}
	}
	subjects, bodies := pgtest.Bodies(t, db, "owner@example.org")
	if len(bodies) != 2 || subjects[1] != "About your Mend account" {
		t.Fatalf("emails: %q", subjects)
	}
	want := "Someone, perhaps you, tried to create a Mend account with this email address. You already have one, so nothing new was made.\n\n" +
		"To log in: https://mend.example.org/login\n" +
		"Forgot your password? Choose a new one here: https://mend.example.org/password/forgot\n\n" +
		"If it was not you, you need not do anything: nothing has changed in your account.\n"
	if bodies[1] != want {
		t.Fatalf("notice:\n%s", bodies[1])
	}
	clk.t = clk.t.Add(service.NoticeEvery + time.Second)
	if sent, err := a.SignUp(ctx, try, "198.51.100.1"); err != nil || !sent {
		t.Fatalf("an hour later: sent %v, %v", sent, err)
	}
	var users int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users)
	if users != 1 {
		t.Fatalf("%d users", users)
	}
	if _, err := a.LogIn(ctx, "owner@example.org", try.Password, "192.0.2.9"); mend.ErrorCode(err) != mend.Unauthorized || service.IsConfirmFirst(err) {
		t.Fatalf("the other password logs in: %v", err)
	}
	if u, err := a.LogIn(ctx, "owner@example.org", goodPassword, "192.0.2.9"); err != nil || u.ID != owner.ID {
		t.Fatalf("the owner's log-in: %v", err)
	}
}

func TestSignUp_UnconfirmedAccountGetsTheNoticeAndAResetConfirmsIt(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	// Someone signs up with an address that is not theirs and never confirms.
	if _, err := a.SignUp(ctx, service.SignUpInput{Name: "Squatter", Email: "real@example.org", Password: "the squatter's passphrase", TimeZone: "UTC"}, "198.51.100.1"); err != nil {
		t.Fatal(err)
	}
	// The address's owner signs up: no second account, a notice.
	if sent, err := a.SignUp(ctx, robin("real@example.org"), "192.0.2.1"); err != nil || !sent {
		t.Fatalf("owner's sign-up: sent %v, %v", sent, err)
	}
	_, bodies := pgtest.Bodies(t, db, "real@example.org")
	if len(bodies) != 2 || !strings.Contains(bodies[1], "You already have one") || !strings.Contains(bodies[1], "/password/forgot") {
		t.Fatalf("emails: %q", bodies)
	}
	// A reset proves the mailbox: it confirms the account, and the owner
	// logs in with the new password.
	resets := &service.Resets{Store: db, Now: clk.now}
	if _, err := resets.RequestPasswordReset(ctx, "real@example.org", "192.0.2.1", "http://localhost:8080"); err != nil {
		t.Fatal(err)
	}
	_, bodies = pgtest.Bodies(t, db, "real@example.org")
	token := regexp.MustCompile(`/password/reset/(\S+)`).FindStringSubmatch(bodies[len(bodies)-1])
	if token == nil {
		t.Fatalf("no reset link: %q", bodies)
	}
	const mine = "my own mailbox, my own account"
	if err := resets.ResetPassword(ctx, token[1], service.ResetPasswordInput{New: mine, Confirm: mine}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LogIn(ctx, "real@example.org", mine, "192.0.2.1"); err != nil {
		t.Fatalf("log in after the reset: %v", err)
	}
}

func TestSignUp_LogInResendsTheLinkAtMostEveryTenMinutes(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	if _, err := a.SignUp(ctx, robin("slow@example.org"), "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	count := func() int { _, b := pgtest.Bodies(t, db, "slow@example.org"); return len(b) }
	// Within ten minutes of the first link: no new one.
	for range 3 {
		_, _, err := a.LogInWithDeviceNext(ctx, "slow@example.org", goodPassword, "192.0.2.1", "", "/join/tok")
		if !service.IsConfirmFirst(err) || mend.ErrorMessage(err) != "Confirm your email address first: we've sent a new link to slow@example.org." {
			t.Fatalf("log in: %v", err)
		}
	}
	if n := count(); n != 1 {
		t.Fatalf("%d emails within ten minutes", n)
	}
	clk.t = clk.t.Add(service.ConfirmResendAfter + time.Second)
	for range 2 {
		if _, _, err := a.LogInWithDeviceNext(ctx, "slow@example.org", goodPassword, "192.0.2.1", "", "/join/tok"); !service.IsConfirmFirst(err) {
			t.Fatalf("log in: %v", err)
		}
	}
	if n := count(); n != 2 {
		t.Fatalf("%d emails, want 2", n)
	}
	if path, _ := pgtest.ConfirmLink(t, db, "slow@example.org"); !strings.HasSuffix(path, "?next=%2Fjoin%2Ftok") {
		t.Fatalf("the new link leads to %q", path)
	}
	// A wrong password is a wrong password, and sends nothing.
	_, errWrong := a.LogIn(ctx, "slow@example.org", "not the password", "192.0.2.1")
	_, errUnknown := a.LogIn(ctx, "nobody@example.org", "not the password", "192.0.2.1")
	if service.IsConfirmFirst(errWrong) || mend.ErrorMessage(errWrong) != mend.ErrorMessage(errUnknown) {
		t.Fatalf("wrong password: %v; unknown email: %v", errWrong, errUnknown)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d emails after a wrong password", n)
	}
}

func TestSignUp_UnconfirmedAccountsGoAfterAWeek(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	if _, err := a.SignUp(ctx, robin("never@example.org"), "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	kept := signUp(t, a, "kept@example.org")
	clk.t = clk.t.Add(6 * 24 * time.Hour)
	if _, err := a.ForgetExpired(ctx); err != nil {
		t.Fatal(err)
	}
	var users, links int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users)
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM signup_confirmations`).Scan(&links)
	if users != 2 || links != 0 {
		t.Fatalf("after six days: %d users, %d links (expired links go)", users, links)
	}
	clk.t = clk.t.Add(24*time.Hour + time.Second)
	if _, err := a.ForgetExpired(ctx); err != nil {
		t.Fatal(err)
	}
	var left []int64
	rows, _ := db.Pool.Query(ctx, `SELECT id FROM users`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		left = append(left, id)
	}
	if len(left) != 1 || left[0] != kept.ID {
		t.Fatalf("users after a week: %v, want only %d", left, kept.ID)
	}
	// The address is free again.
	if sent, err := a.SignUp(ctx, robin("never@example.org"), "192.0.2.1"); err != nil || !sent {
		t.Fatalf("sign up again: %v, %v", sent, err)
	}
	if _, body := pgtest.Bodies(t, db, "never@example.org"); !strings.Contains(body[len(body)-1], service.ConfirmPath) {
		t.Fatalf("emails: %q", body)
	}
}

// The emails carry fixed words and the link, nothing typed into the form.
func TestSignUp_EmailsCarryOnlyTheLinkAndFixedWords(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	a.BaseURL = "http://localhost:8080"
	ctx := context.Background()
	in := service.SignUpInput{Name: "Quillon Vashti", Email: "words@example.org", Password: "zebra quillon passphrase", TimeZone: "Pacific/Chatham",
		Therapist: true, ProfessionalName: "Dr Quillon Vashti LMFT"}
	if _, err := a.SignUp(ctx, in, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	in.Name, in.Password = "Orrin Wexley", "orrin wexley passphrase"
	if _, err := a.SignUp(ctx, in, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	_, bodies := pgtest.Bodies(t, db, "words@example.org")
	if len(bodies) != 2 {
		t.Fatalf("%d emails", len(bodies))
	}
	link := regexp.MustCompile(`http://localhost:8080/signup/confirm/[A-Za-z0-9_-]{43}`)
	confirm := link.ReplaceAllString(bodies[0], "LINK")
	wantConfirm := "Someone, we hope you, used this email address to create a Mend account. To finish, open this link within 24 hours and confirm:\n\n" +
		"LINK\n\nIf it was not you, ignore this email. The account is not used until someone confirms it, and is removed after a week.\n"
	if confirm != wantConfirm {
		t.Fatalf("confirmation email:\n%s", bodies[0])
	}
	for _, b := range bodies {
		for _, typed := range []string{"Quillon", "Vashti", "Orrin", "Wexley", "zebra", "Chatham", "words@"} {
			if strings.Contains(b, typed) {
				t.Errorf("an email holds %q:\n%s", typed, b)
			}
		}
	}
}
