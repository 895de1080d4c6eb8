package web

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

// TestConsistency_CountsUntilEnoughIsDue: one owned miss or one kept day
// reads as counts, once for the windows that hold it, not "0%" or "100%"
// three times; a window with mend.PercentFrom due occurrences shows its
// percentage.
func TestConsistency_CountsUntilEnoughIsDue(t *testing.T) {
	stat := func(days, counted, kept, missed int) mend.Consistency {
		c := mend.Consistency{Days: days, Counted: counted, Kept: kept, Missed: missed, Percent: math.NaN()}
		if counted > 0 {
			c.Percent = float64(kept) / float64(counted) * 100
		}
		return c
	}
	miss := []mend.Consistency{stat(7, 1, 0, 1), stat(30, 1, 0, 1), stat(90, 1, 0, 1)}
	if got := consistencyWords(miss[1]); got != "Over the last 30 days: 0 kept and 1 owned miss, of 1 due." {
		t.Errorf("one owned miss reads %q", got)
	}
	if got := consistencyStats(miss); len(got) != 1 || got[0].Figure != "0 kept and 1 owned miss, of 1 due" || got[0].Days != "last 7, 30 and 90 days" || !got[0].Counts {
		t.Errorf("one owned miss shows %+v", got)
	}
	grown := []mend.Consistency{stat(7, 6, 6, 0), stat(30, 20, 15, 5), stat(90, 20, 15, 5)}
	got := consistencyStats(grown)
	if len(got) != 3 || got[0].Figure != "6 kept of 6 due" || got[1].Figure != "75%" || got[2].Figure != "75%" || got[1].Counts {
		t.Errorf("6 and 20 due show %+v", got)
	}
	if got := consistencyWords(grown[1]); got != "75% kept over the last 30 days: 15 kept and 5 owned misses, of 20 due." {
		t.Errorf("20 due reads %q", got)
	}
	if got := consistencyWords(stat(30, 0, 0, 0)); got != "Nothing was due in the last 30 days." {
		t.Errorf("nothing due reads %q", got)
	}
	v := &mend.CommitmentView{Stats: miss}
	var html bytes.Buffer
	if err := consistencyBlock(v, false).Render(context.Background(), &html); err != nil {
		t.Fatal(err)
	}
	if s := html.String(); strings.Contains(s, "%") || strings.Count(s, "0 kept and 1 owned miss, of 1 due") != 2 {
		t.Errorf("the block of one owned miss: %s", s)
	}
}
