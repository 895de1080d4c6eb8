package server

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// The two shapes of an export, each a mend.ExportWriter that writes to the
// response as rows arrive: one JSON document, or a ZIP of CSV files (one
// per kind) with a README.txt. Close finishes the file.

// exportFile is an export writer that must be closed to finish its file.
type exportFile interface {
	mend.ExportWriter
	Close() error
}

// csvCell guards a cell against formula injection: a spreadsheet runs a
// cell that starts with =, +, -, @, a tab or a carriage return as a
// formula, so such a cell starts with a single quote instead.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// zipExport writes one CSV file per kind into a ZIP, then README.txt.
type zipExport struct {
	zw     *zip.Writer
	csv    *csv.Writer
	tables []mend.ExportTable
	at     time.Time
	cells  []string
}

func newZipExport(w io.Writer, at time.Time) *zipExport {
	return &zipExport{zw: zip.NewWriter(w), at: at}
}

func (z *zipExport) Table(t mend.ExportTable) error {
	if err := z.flush(); err != nil {
		return err
	}
	f, err := z.zw.CreateHeader(&zip.FileHeader{Name: t.Name + ".csv", Method: zip.Deflate, Modified: z.at})
	if err != nil {
		return err
	}
	z.tables = append(z.tables, t)
	z.csv = csv.NewWriter(f)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Name
	}
	return z.csv.Write(header)
}

func (z *zipExport) Row(values []string) error {
	z.cells = z.cells[:0]
	for _, v := range values {
		z.cells = append(z.cells, csvCell(v))
	}
	return z.csv.Write(z.cells)
}

func (z *zipExport) flush() error {
	if z.csv == nil {
		return nil
	}
	z.csv.Flush()
	return z.csv.Error()
}

func (z *zipExport) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	f, err := z.zw.CreateHeader(&zip.FileHeader{Name: "README.txt", Method: zip.Deflate, Modified: z.at})
	if err != nil {
		return err
	}
	if err := writeExportReadme(f, z.tables, z.at); err != nil {
		return err
	}
	return z.zw.Close()
}

// writeExportReadme explains each file and column of a ZIP export.
func writeExportReadme(w io.Writer, tables []mend.ExportTable, at time.Time) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "Your data from Mend, exported %s.\r\n\r\n", at.UTC().Format(time.RFC3339))
	fmt.Fprint(b, "Each .csv file is one kind of entry: its first row names the columns, each further row is one entry.\r\n"+
		"Times are in UTC (RFC 3339), dates are YYYY-MM-DD, an empty cell is nothing. A cell that would start with\r\n"+
		"=, +, -, @, a tab or a carriage return starts with a ' so that a spreadsheet does not run it as a formula.\r\n"+
		"People are named by their ids: see account.csv (you) and people.csv (the partners in your space).\r\n")
	for _, t := range tables {
		fmt.Fprintf(b, "\r\n%s.csv\r\n  %s\r\n", t.Name, t.About)
		for _, c := range t.Columns {
			fmt.Fprintf(b, "  - %s: %s\r\n", c.Name, c.About)
		}
	}
	return b.Flush()
}

// jsonExport writes one JSON document:
//
//	{"exported_at": "…", "kinds": [{"name": "…", "about": "…",
//	  "columns": [{"name": "…", "about": "…"}], "rows": [{"column": "value", …}]}]}
type jsonExport struct {
	w     *bufio.Writer
	table *mend.ExportTable
	rows  int
	err   error
}

func newJSONExport(w io.Writer, at time.Time) *jsonExport {
	j := &jsonExport{w: bufio.NewWriterSize(w, 32<<10)}
	j.raw(`{"exported_at":`)
	j.value(at.UTC().Format(time.RFC3339))
	j.raw(`,"kinds":[`)
	return j
}

func (j *jsonExport) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *jsonExport) value(v any) {
	if j.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		j.err = err
		return
	}
	_, j.err = j.w.Write(b)
}

func (j *jsonExport) Table(t mend.ExportTable) error {
	if j.table != nil {
		j.raw("]},\n")
	}
	j.table, j.rows = &t, 0
	j.raw(`{"name":`)
	j.value(t.Name)
	j.raw(`,"about":`)
	j.value(t.About)
	j.raw(`,"columns":[`)
	for i, c := range t.Columns {
		if i > 0 {
			j.raw(",")
		}
		j.raw(`{"name":`)
		j.value(c.Name)
		j.raw(`,"about":`)
		j.value(c.About)
		j.raw("}")
	}
	j.raw(`],"rows":[`)
	return j.err
}

func (j *jsonExport) Row(values []string) error {
	if j.rows > 0 {
		j.raw(",")
	}
	j.rows++
	j.raw("\n{")
	for i, v := range values {
		if i > 0 {
			j.raw(",")
		}
		j.value(j.table.Columns[i].Name)
		j.raw(":")
		j.value(v)
	}
	j.raw("}")
	return j.err
}

func (j *jsonExport) Close() error {
	if j.table != nil {
		j.raw("]}")
	}
	j.raw("]}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}
