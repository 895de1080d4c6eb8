package mend

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCodec encodes a session's values for the store. Mend keeps only
// whole numbers and strings in a session (the user's id, when they logged
// in and were last seen, a flash message), so it writes them in a small
// tagged format of its own: decoding gob, scs's default, compiled a decoder
// on every request, half of the cost of loading a session. Data in gob
// (sessions written before this codec, or a value of another type) is still
// read and written with gob.
type SessionCodec struct{}

// sessionFormat starts Mend's format. A gob stream starts with a message
// length, never 0, so the two cannot be mistaken for each other.
const sessionFormat = 0x00

const (
	tagInt64  = 'i'
	tagString = 's'
)

var errSessionData = errors.New("session data: malformed")

// Encode writes deadline and values; values of other types than int64 and
// string fall back to gob.
func (SessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(values))
	for k, v := range values {
		switch v.(type) {
		case int64, string:
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same values, the same bytes
	b := make([]byte, 0, 64)
	b = append(b, sessionFormat)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		switch v := values[k].(type) {
		case int64:
			b = append(b, tagInt64)
			b = binary.AppendVarint(b, v)
		case string:
			b = append(b, tagString)
			b = appendString(b, v)
		}
	}
	return b, nil
}

// Decode reads what Encode (or gob) wrote. Malformed data is an error,
// never a panic.
func (SessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != sessionFormat {
		return scs.GobCodec{}.Decode(b)
	}
	r := sessionReader{b: b[1:]}
	deadline := time.Unix(0, r.varint()).UTC()
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := r.string()
		switch r.byte() {
		case tagInt64:
			values[k] = r.varint()
		case tagString:
			values[k] = r.string()
		default:
			r.err = errSessionData
		}
		if r.err != nil {
			return time.Time{}, nil, r.err
		}
	}
	if len(r.b) > 0 {
		return time.Time{}, nil, fmt.Errorf("%w: %d bytes left over", errSessionData, len(r.b))
	}
	return deadline, values, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// sessionReader reads Mend's format; the first problem sticks in err.
type sessionReader struct {
	b   []byte
	err error
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errSessionData
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errSessionData
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errSessionData
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errSessionData
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
