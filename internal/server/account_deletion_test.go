package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

func TestDeleteAccount_WrongPasswordOrWordRedrawsTheForm(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana := w.as(t, w.ana)
	for _, c := range []struct {
		form       url.Values
		field, msg string
	}{
		{url.Values{"password": {"not my password"}, "confirm": {"DELETE"}}, "password", "That is not your current password."},
		{url.Values{"password": {testPassword}, "confirm": {"delete"}}, "confirm", "Type DELETE in capitals to confirm."},
		{url.Values{"password": {""}, "confirm": {"DELETE"}}, "password", "Enter your password to delete your account."},
	} {
		res := ana.post("/settings/delete", c.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%v: status %d, want 422", c.form, res.StatusCode)
		}
		if !strings.Contains(res.body, `id="`+c.field+`-error"`) || !strings.Contains(res.body, c.msg) {
			t.Errorf("%v: no %q by the %s field", c.form, c.msg, c.field)
		}
	}
	if res := ana.get("/today"); res.StatusCode != http.StatusOK {
		t.Errorf("after refused deletions, today: %d", res.StatusCode)
	}
}

func TestDeleteAccount_PartnerGoneTheOtherSeesAFormerPartner(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	// Ben keeps a commitment Ana agreed to, with her words on the agreement.
	cs := app.srv.commitments
	id, err := cs.Propose(ctx, w.ben, service.CommitmentInput{For: "me", Title: "Phone on the table at dinner", Rhythm: "daily",
		ReviewOn: app.srv.now().AddDate(0, 0, 28).Format(time.DateOnly), Visibility: string(mend.MyPartner)})
	if err != nil {
		t.Fatal(err)
	}
	const anaWords = "Zelphine is glad of this"
	if err := cs.Agree(ctx, w.ana, id, anaWords); err != nil {
		t.Fatal(err)
	}

	ana := w.as(t, w.ana)
	res := ana.post("/settings/delete", url.Values{"password": {testPassword}, "confirm": {"DELETE"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account-deleted" {
		t.Fatalf("delete: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := ana.get("/account-deleted"); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Your account is deleted") {
		t.Errorf("the neutral page: %d", res.StatusCode)
	}
	if res := ana.get("/today"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("after deletion the session goes on: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := app.browser().logIn(w.ana.Email, testPassword); res.StatusCode == http.StatusSeeOther {
		t.Error("the deleted account still logs in")
	}

	ben := w.as(t, w.ben)
	for _, path := range []string{"/today", "/couple", "/sharing", "/checkins", "/commitments", "/triggers", "/progress",
		"/progress/summary", "/hard-dates", "/disclosures", "/sessions/checks"} {
		res := ben.get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("Ben's %s: %d", path, res.StatusCode)
			continue
		}
		for _, gone := range []string{"Zelphine", anaWords, w.ana.Email} {
			if strings.Contains(res.body, gone) {
				t.Errorf("Ben's %s still shows %q", path, gone)
			}
		}
	}
	// As when a partner leaves, the pair's commitments leave Ben's view;
	// Ben's own stays in the database (his export), with the agreement
	// marked as a former partner's (no actor) and without Ana's words.
	for _, c := range []int64{id, w.commitment} {
		if res := ben.get("/commitments/" + strconv.FormatInt(c, 10)); res.StatusCode != http.StatusNotFound {
			t.Errorf("commitment %d after Ana's deletion: %d, want 404", c, res.StatusCode)
		}
	}
	var agreed, theirs, mine int
	if err := app.db.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM commitment_events WHERE commitment_id = $1 AND action = 'agreed' AND actor_id IS NULL AND note = ''),
		(SELECT count(*) FROM commitments WHERE id = $2),
		(SELECT count(*) FROM commitments WHERE id = $1)`, id, w.commitment).Scan(&agreed, &theirs, &mine); err != nil {
		t.Fatal(err)
	}
	if agreed != 1 || theirs != 0 || mine != 1 {
		t.Errorf("Ben's commitment %d with %d anonymous agreements; Ana's commitments left: %d", mine, agreed, theirs)
	}
}

func TestDeleteAccount_TherapistLeavesTheCouplesLinksAndNotes(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	tess := w.as(t, w.therapist)
	res := tess.post("/settings/delete", url.Values{"password": {testPassword}, "confirm": {"DELETE"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account-deleted" {
		t.Fatalf("delete: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var open, notes, suggestions int
	if err := app.db.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM therapist_links WHERE couple_id = $1 AND ended_at IS NULL),
		(SELECT count(*) FROM therapist_notes), (SELECT count(*) FROM suggestions)`, w.coupleA).Scan(&open, &notes, &suggestions); err != nil {
		t.Fatal(err)
	}
	if open != 0 || notes != 0 || suggestions != 0 {
		t.Errorf("after Tess deleted her account: %d open links, %d notes, %d suggestions", open, notes, suggestions)
	}
	for _, u := range []*mend.User{w.ana, w.ben} {
		res := w.as(t, u).get("/sharing")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s's sharing page: %d", u.Name, res.StatusCode)
		}
		if !strings.Contains(res.body, mend.DeletedTherapist) {
			t.Errorf("%s's sharing page does not say the therapist deleted their account", u.Name)
		}
		for _, gone := range []string{"Tess", tessNote, tessSuggestion} {
			if strings.Contains(res.body, gone) {
				t.Errorf("%s's sharing page still shows %q", u.Name, gone)
			}
		}
		if res := w.as(t, u).get("/today"); res.StatusCode != http.StatusOK || strings.Contains(res.body, tessSuggestion) {
			t.Errorf("%s's today: %d, or the suggestion is still there", u.Name, res.StatusCode)
		}
	}
}
