package service

import "sync"

// flight runs one call per key at a time: a call made while another with
// the same key runs waits for it and shares its answer instead of running
// again (the same form sent twice in a burst: a double tap, a retry).
type flight struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done chan struct{}
	sent bool
	err  error
}

// do runs fn for key, or waits for the run of key under way and returns
// its error, with sent false (the run that sent reports it).
func (f *flight) do(key string, fn func() (bool, error)) (sent bool, err error) {
	f.mu.Lock()
	if c, ok := f.calls[key]; ok {
		f.mu.Unlock()
		<-c.done
		return false, c.err
	}
	if f.calls == nil {
		f.calls = map[string]*flightCall{}
	}
	c := &flightCall{done: make(chan struct{})}
	f.calls[key] = c
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
	}()
	c.sent, c.err = fn()
	return c.sent, c.err
}
