package service

import (
	"errors"

	"github.com/mend-app/mend/internal/mend"
)

// inWords gives the store's wordless NotFound (it returns no sentences) the
// words of the page that asked; other errors pass as they are.
func inWords(err error, words *mend.Error) error {
	var me *mend.Error
	if errors.As(err, &me) && me.Code == mend.NotFound && me.Message == "" {
		return words
	}
	return err
}
