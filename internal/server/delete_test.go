package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Ana deletes her check-in of today, which she changed once and Ben
// answered: the confirmation says what goes and who could read it; after
// it, no row of the check-in, its versions or Ben's answer remains, and
// Ben's check-in is hidden from Ana again until she shares one. Nobody
// else can delete it.
func TestHTTP_DeleteCheckinRemovesItsVersionsAndAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	// Ana changes hers once (a version), and Ben answers it.
	if _, err := app.srv.checkins.Save(ctx, w.ana, service.CheckinInput{Mood: "3", Connection: "4",
		Worry: "Zelphine worries less now", Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	if err := app.srv.checkins.Acknowledge(ctx, w.ben, w.day, "Quorrin read it"); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := app.db.Pool.QueryRow(ctx, `SELECT id FROM checkins WHERE user_id = $1 AND day = $2`, w.ana.ID, w.day).Scan(&id); err != nil {
		t.Fatal(err)
	}
	rows := func() int {
		return app.count(`SELECT (SELECT count(*) FROM checkins WHERE id = $1) + (SELECT count(*) FROM checkin_versions WHERE checkin_id = $1)
			+ (SELECT count(*) FROM checkin_acks WHERE checkin_id = $1)`, id)
	}
	if n := rows(); n != 3 {
		t.Fatalf("before: %d rows of Ana's check-in, want 3 (it, a version, Ben's answer)", n)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/checkins/" + w.day + "/delete"

	day := ana.get("/checkins/" + w.day)
	if !strings.Contains(day.body, `href="`+path+`"`) {
		t.Errorf("Ana's day page has no link to delete her check-in")
	}
	page := ana.get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("confirmation page: %d", page.StatusCode)
	}
	for _, want := range []string{"Seen by you, Quorrin and Tess.", "Its earlier versions (1)", "answer to it", "cannot be undone", `href="/checkins/` + w.day + `"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("confirmation page does not say %q", want)
		}
	}
	if rows() != 3 {
		t.Fatal("opening the confirmation deleted something")
	}

	// Outsiders: nothing of theirs that day, so 404 (a GET without a space
	// says so, as every space page does); Ana's rows stay.
	for who, b := range map[string]*browser{"stranger": w.as(t, w.stranger), "partner of another couple": w.as(t, w.cara)} {
		res := b.get(path)
		if who == "stranger" {
			if !strings.Contains(res.body, "not in a couple space") {
				t.Errorf("%s opens the confirmation: %d, want the page that says there is no space", who, res.StatusCode)
			}
		} else if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the confirmation: %d, want 404", who, res.StatusCode)
		}
		for _, s := range secrets {
			if strings.Contains(res.body, s) {
				t.Errorf("%s opens the confirmation: it shows %q", who, s)
			}
		}
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes: %d, want 404", who, res.StatusCode)
		}
	}
	// Ben deletes his own check-in only; a second time there is none (404).
	if res := ben.post(path, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ben deletes his own: %d", res.StatusCode)
	}
	if res := ben.post(path, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("Ben deletes again (only Ana's is left): %d, want 404", res.StatusCode)
	}
	if n := rows(); n != 3 {
		t.Fatalf("Ben's deleting touched Ana's check-in: %d rows", n)
	}

	res := ana.post(path, url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/checkins/"+w.day {
		t.Fatalf("Ana deletes: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := rows(); n != 0 {
		t.Errorf("after deleting, %d rows of Ana's check-in remain", n)
	}
	after := ana.get("/checkins/" + w.day)
	if !strings.Contains(after.body, "Deleted.") || strings.Contains(after.body, "Zelphine worries") {
		t.Errorf("the day after deleting: no quiet flash, or the check-in still shows:\n%s", after.body)
	}
	if res := ana.post(path, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting again: %d, want 404", res.StatusCode)
	}
	if res := ana.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("confirmation with nothing to delete: %d, want 404", res.StatusCode)
	}
}

// Deleting Ana's check-in hides Ben's again: reveal together needs hers.
func TestHTTP_DeleteCheckinHidesThePartnersAgain(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana := w.as(t, w.ana)
	if !strings.Contains(ana.get("/checkins/"+w.day).body, "Quorrin worries about the lake house") {
		t.Fatal("Ana does not read Ben's check-in before deleting hers")
	}
	if res := ana.post("/checkins/"+w.day+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if strings.Contains(ana.get("/checkins/"+w.day).body, "Quorrin worries about the lake house") {
		t.Error("Ana still reads Ben's check-in without sharing hers")
	}
}

// Ana deletes her own answer to Ben's check-in; Ben's check-in stays, and
// Ben cannot delete an answer he did not write.
func TestHTTP_DeleteOwnCheckinAnswer(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	if err := app.srv.checkins.Acknowledge(ctx, w.ana, w.day, "Zelphine read it"); err != nil {
		t.Fatal(err)
	}
	acks := func() int {
		return app.count(`SELECT count(*) FROM checkin_acks WHERE user_id = $1`, w.ana.ID)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/checkins/" + w.day + "/ack/delete"
	formOn(t, ana.get("/checkins/"+w.day), path) // the day page offers it
	if res := ben.post(path, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("Ben, who wrote no answer: %d, want 404", res.StatusCode)
	}
	if res := w.as(t, w.cara).post(path, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("a partner of another couple: %d, want 404", res.StatusCode)
	}
	if acks() != 1 {
		t.Fatal("someone else deleted Ana's answer")
	}
	if res := ana.post(path, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ana deletes her answer: %d", res.StatusCode)
	}
	if n := acks(); n != 0 {
		t.Errorf("%d answers of Ana's remain", n)
	}
	if n := app.count(`SELECT count(*) FROM checkins WHERE user_id = $1`, w.ben.ID); n != 1 {
		t.Errorf("Ben's check-in went with the answer: %d left", n)
	}
	if res := ana.post(path, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting again: %d, want 404", res.StatusCode)
	}
}

// Ana deletes her trigger, which she changed once and Ben answered: the
// confirmation says what goes and who could read it; after it, no row of
// the trigger, its versions or Ben's response remains. Ben, and partners
// of other couples, get 404.
func TestHTTP_DeleteTriggerRemovesItsVersionsAndResponses(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	if _, err := app.srv.triggers.Edit(ctx, w.ana, w.trigger, service.TriggerInput{Category: "place", Intensity: "6",
		WhatHappened: "Drove past the lake house again", Visibility: string(mend.PartnerAndTherapist)}); err != nil {
		t.Fatal(err)
	}
	if err := app.srv.triggers.Respond(ctx, w.ben, w.trigger, "here", "Quorrin is here", ""); err != nil {
		t.Fatal(err)
	}
	rows := func() int {
		return app.count(`SELECT (SELECT count(*) FROM triggers WHERE id = $1) + (SELECT count(*) FROM trigger_versions WHERE trigger_id = $1)
			+ (SELECT count(*) FROM trigger_responses WHERE trigger_id = $1)`, w.trigger)
	}
	if n := rows(); n != 3 {
		t.Fatalf("before: %d rows of Ana's trigger, want 3 (it, a version, Ben's response)", n)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/triggers/" + strconv.FormatInt(w.trigger, 10) + "/delete"
	if !strings.Contains(ana.get("/triggers?who=me").body, `href="`+path+`"`) {
		t.Error("Ana's triggers have no link to delete hers")
	}
	if strings.Contains(ben.get("/triggers?who=partner").body, `href="`+path+`"`) {
		t.Error("Ben is offered to delete Ana's trigger")
	}
	page := ana.get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("confirmation page: %d", page.StatusCode)
	}
	for _, want := range []string{"Seen by you, Quorrin and Tess.", "Its earlier versions", "response to it", "cannot be undone"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("confirmation page does not say %q", want)
		}
	}
	for who, b := range map[string]*browser{"Ben": ben, "stranger": w.as(t, w.stranger), "partner of another couple": w.as(t, w.cara)} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the confirmation: %d, want 404", who, res.StatusCode)
		}
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes: %d, want 404", who, res.StatusCode)
		}
	}
	if n := rows(); n != 3 {
		t.Fatalf("someone else's deleting touched Ana's trigger: %d rows", n)
	}
	res := ana.post(path, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/triggers?who=me" {
		t.Fatalf("Ana deletes: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := rows(); n != 0 {
		t.Errorf("after deleting, %d rows of Ana's trigger remain", n)
	}
	if after := ana.get("/triggers?who=me"); !strings.Contains(after.body, "Deleted.") || strings.Contains(after.body, "Drove past") {
		t.Error("the list after deleting: no quiet flash, or the trigger still shows")
	}
	if res := ana.post(path, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting again: %d, want 404", res.StatusCode)
	}
}

// Ben deletes his own response to Ana's trigger; the trigger stays, and
// Ana cannot delete a response she did not write.
func TestHTTP_DeleteOwnTriggerResponse(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	if err := app.srv.triggers.Respond(context.Background(), w.ben, w.trigger, "here", "", ""); err != nil {
		t.Fatal(err)
	}
	responses := func() int {
		return app.count(`SELECT count(*) FROM trigger_responses WHERE trigger_id = $1`, w.trigger)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/triggers/" + strconv.FormatInt(w.trigger, 10) + "/respond/delete"
	formOn(t, ben.get("/triggers?who=partner"), path)
	for who, b := range map[string]*browser{"Ana": ana, "partner of another couple": w.as(t, w.cara)} {
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes Ben's response: %d, want 404", who, res.StatusCode)
		}
	}
	if responses() != 1 {
		t.Fatal("someone else deleted Ben's response")
	}
	if res := ben.post(path, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ben deletes his response: %d", res.StatusCode)
	}
	if n := responses(); n != 0 {
		t.Errorf("%d responses remain", n)
	}
	if n := app.count(`SELECT count(*) FROM triggers WHERE id = $1`, w.trigger); n != 1 {
		t.Error("the trigger went with the response")
	}
}

// Ben deletes what he told Ana, which she answered: the confirmation says
// what goes and who could read it; after it, no row of it or of Ana's
// answer remains. Ana, and partners of other couples, get 404. Ana deletes
// her own draft the same way.
func TestHTTP_DeleteDisclosureRemovesItsAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	if err := app.srv.disclosures.Answer(context.Background(), w.ana, w.disclosure, "Zelphine read it", ""); err != nil {
		t.Fatal(err)
	}
	rows := func(id int64) int {
		return app.count(`SELECT (SELECT count(*) FROM disclosures WHERE id = $1) + (SELECT count(*) FROM disclosure_answers WHERE disclosure_id = $1)`, id)
	}
	if n := rows(w.disclosure); n != 2 {
		t.Fatalf("before: %d rows of Ben's disclosure, want 2 (it and Ana's answer)", n)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/disclosures/" + strconv.FormatInt(w.disclosure, 10) + "/delete"
	if !strings.Contains(ben.get("/disclosures").body, `href="`+path+`"`) {
		t.Error("Ben's disclosures have no link to delete his")
	}
	if strings.Contains(ana.get("/disclosures").body, `href="`+path+`"`) {
		t.Error("Ana is offered to delete Ben's disclosure")
	}
	page := ben.get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("confirmation page: %d", page.StatusCode)
	}
	for _, want := range []string{"Seen by you, Zelphine and Tess.", "answer to it", "cannot be undone"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("confirmation page does not say %q", want)
		}
	}
	for who, b := range map[string]*browser{"Ana": ana, "stranger": w.as(t, w.stranger), "partner of another couple": w.as(t, w.cara)} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the confirmation: %d, want 404", who, res.StatusCode)
		}
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes: %d, want 404", who, res.StatusCode)
		}
	}
	if n := rows(w.disclosure); n != 2 {
		t.Fatalf("someone else's deleting touched Ben's disclosure: %d rows", n)
	}
	res := ben.post(path, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/disclosures" {
		t.Fatalf("Ben deletes: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := rows(w.disclosure); n != 0 {
		t.Errorf("after deleting, %d rows of Ben's disclosure remain", n)
	}
	if after := ben.get("/disclosures"); !strings.Contains(after.body, "Deleted.") || strings.Contains(after.body, "Quorrin got a message") {
		t.Error("the list after deleting: no quiet flash, or the disclosure still shows")
	}

	// Ana's draft: only she has seen it.
	draft := "/disclosures/" + strconv.FormatInt(w.draft, 10) + "/delete"
	if page := ana.get(draft); !strings.Contains(page.body, "Only you can see this") {
		t.Errorf("the draft's confirmation does not say only Ana sees it (%d)", page.StatusCode)
	}
	if res := ben.post(draft, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("Ben deletes Ana's draft: %d, want 404", res.StatusCode)
	}
	if res := ana.post(draft, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ana deletes her draft: %d", res.StatusCode)
	}
	if n := rows(w.draft); n != 0 {
		t.Errorf("after deleting, %d rows of Ana's draft remain", n)
	}
}

// Ana deletes her own answers to what Ben told; it stays, and Ben cannot
// delete answers he did not write.
func TestHTTP_DeleteOwnDisclosureAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	for _, body := range []string{"Zelphine read it", "And thought about it"} {
		if err := app.srv.disclosures.Answer(context.Background(), w.ana, w.disclosure, body, ""); err != nil {
			t.Fatal(err)
		}
	}
	answers := func() int {
		return app.count(`SELECT count(*) FROM disclosure_answers WHERE disclosure_id = $1`, w.disclosure)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/disclosures/" + strconv.FormatInt(w.disclosure, 10) + "/answer/delete"
	formOn(t, ana.get("/disclosures"), path)
	for who, b := range map[string]*browser{"Ben": ben, "partner of another couple": w.as(t, w.cara)} {
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes Ana's answers: %d, want 404", who, res.StatusCode)
		}
	}
	if answers() != 2 {
		t.Fatal("someone else deleted Ana's answers")
	}
	if res := ana.post(path, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ana deletes her answers: %d", res.StatusCode)
	}
	if n := answers(); n != 0 {
		t.Errorf("%d answers remain", n)
	}
	if n := app.count(`SELECT count(*) FROM disclosures WHERE id = $1`, w.disclosure); n != 1 {
		t.Error("the disclosure went with the answers")
	}
}
