package mend

// An export is everything a user may see about themselves and their space,
// read kind by kind and written out as it is read (see ExportWriter). Each
// kind is a table: a file name, what it holds, and its columns. Values are
// text: times in RFC 3339 (UTC), dates as YYYY-MM-DD, numbers in decimal,
// true/false, and an empty cell for nothing.

// ExportTable describes one kind of an export.
type ExportTable struct {
	Name    string // file name without extension, e.g. "checkins"
	About   string // one sentence: what the rows are, and whose
	Columns []ExportColumn
}

// ExportColumn is one column of an ExportTable.
type ExportColumn struct {
	Name, About string
}

// ExportWriter receives an export as it is read: a table, then each of its
// rows (as many values as the table has columns), then the next table.
// Its errors stop the export and are returned by whoever feeds it.
type ExportWriter interface {
	Table(t ExportTable) error
	Row(values []string) error
}

// Col is a shorthand for an ExportColumn.
func Col(name, about string) ExportColumn { return ExportColumn{Name: name, About: about} }
