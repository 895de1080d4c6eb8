package service

import (
	"context"
	"strings"

	"github.com/mend-app/mend/internal/mend"
)

// DeleteConfirmWord is what a user types to confirm deleting their account.
const DeleteConfirmWord = "DELETE"

const (
	msgDeletePassword = "Enter your password to delete your account."
	msgDeleteConfirm  = "Type DELETE in capitals to confirm."
)

// DeleteAccountInput is the form that deletes an account.
type DeleteAccountInput struct {
	Password, Confirm string
}

// DeleteAccount deletes u's account and every row holding what they wrote
// (the rule is in the README, "Deleting an account"), after checking their
// password (client as for LogIn) and the typed confirmation. Errors:
// Invalid with "password" or "confirm" fields; Throttled; NotFound when the
// account is gone already. Any signed-in user may call it for themselves.
func (a *Accounts) DeleteAccount(ctx context.Context, u *mend.User, in DeleteAccountInput, client string) error {
	fe := mend.FieldErrors{}
	if in.Password == "" {
		fe["password"] = msgDeletePassword
	}
	if strings.TrimSpace(in.Confirm) != DeleteConfirmWord {
		fe["confirm"] = msgDeleteConfirm
	}
	if len(fe) > 0 {
		return fe.Err()
	}
	ok, err := a.CheckPassword(ctx, u, in.Password, client)
	if err != nil {
		return err
	}
	if !ok {
		return &mend.Error{Code: mend.Invalid, Message: msgWrongCurrent, Fields: map[string]string{"password": msgWrongCurrent}}
	}
	return a.Store.DeleteAccount(ctx, u.ID, accountKey(u.Email), EmailKey(u.Email))
}
