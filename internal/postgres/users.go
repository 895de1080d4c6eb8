package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

const userColumns = `id, email, name, time_zone, coalesce(professional_name, ''), sessions_valid_after, created_at, discreet_titles`

func scanUser(row pgx.Row, extra ...any) (*mend.User, error) {
	var u mend.User
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.TimeZone, &u.ProfessionalName, &u.SessionsValidAfter, &u.CreatedAt, &u.DiscreetTitles}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, mapErr(err)
	}
	return &u, nil
}

const createUserSQL = `
INSERT INTO users (email, email_key, name, password_hash, time_zone, professional_name)
VALUES ($1, $2, $3, $4, $5, nullif($6, ''))
RETURNING ` + userColumns

// CreateUser inserts a user, its email confirmed (the column's default),
// and, when formKey is not nil, records the form's key in the same
// transaction. It returns mend.ErrEmailTaken when emailKey exists. Sign-up
// itself uses SignUp, which makes the account unconfirmed.
// professional is empty for partners and the professional name for therapists.
func (db *DB) CreateUser(ctx context.Context, email, emailKey, name, hash, tz, professional string, formKey []byte) (*mend.User, error) {
	var u *mend.User
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if u, err = scanUser(tx.QueryRow(ctx, createUserSQL, email, emailKey, name, hash, tz, professional)); err != nil {
			return err
		}
		if formKey != nil {
			_, err = tx.Exec(ctx, recordFormSQL, formKey, u.ID)
		}
		return err
	})
	if isUnique(err, "users_email_key_key") {
		return nil, mend.ErrEmailTaken
	}
	return u, err
}

const userByFormKeySQL = `
SELECT u.id, u.email, u.name, u.time_zone, coalesce(u.professional_name, ''), u.sessions_valid_after, u.created_at, u.discreet_titles, u.password_hash
FROM form_submissions f JOIN users u ON u.id = f.user_id
WHERE f.key_hash = $1 AND f.created_at > now() - interval '1 day'`

// UserByFormKey returns the user whose sign-up recorded formKey in the last
// day, with their password hash, or NotFound.
func (db *DB) UserByFormKey(ctx context.Context, formKey []byte) (*mend.User, string, error) {
	var hash string
	u, err := scanUser(db.Pool.QueryRow(ctx, userByFormKeySQL, formKey), &hash)
	return u, hash, err
}

const deleteOldFormsSQL = `DELETE FROM form_submissions WHERE created_at <= $1`

// DeleteFormSubmissionsBefore forgets form keys older than before.
func (db *DB) DeleteFormSubmissionsBefore(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, deleteOldFormsSQL, before)
	return tag.RowsAffected(), mapErr(err)
}

const userByIDSQL = `SELECT ` + userColumns + ` FROM users WHERE id = $1`

// UserByID returns the user, or a NotFound error.
func (db *DB) UserByID(ctx context.Context, id int64) (*mend.User, error) {
	return scanUser(db.Pool.QueryRow(ctx, userByIDSQL, id))
}

// userByEmailSQL is the account with an email key, its password hash and
// whether its email is still unconfirmed.
const userByEmailSQL = `SELECT ` + userColumns + `, password_hash, email_confirmed_at IS NULL FROM users WHERE email_key = $1`

// userWithHashByIDSQL is the user with an id, their password hash and
// whether their email is still unconfirmed.
const userWithHashByIDSQL = `SELECT ` + userColumns + `, password_hash, email_confirmed_at IS NULL FROM users WHERE id = $1`

// #nosec G101 -- a statement that stores the hash it is given, no credential
const setPasswordSQL = `
UPDATE users SET password_hash = $2, sessions_valid_after = now(), updated_at = now()
WHERE id = $1
RETURNING sessions_valid_after`

// SetPassword stores a new hash and signs out every session begun before
// now. It returns the new sessions_valid_after.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) (time.Time, error) {
	var validAfter time.Time
	err := db.Pool.QueryRow(ctx, setPasswordSQL, id, hash).Scan(&validAfter)
	return validAfter, mapErr(err)
}

const updateProfileSQL = `
UPDATE users SET name = $2, time_zone = $3, updated_at = now()
WHERE id = $1
RETURNING ` + userColumns

// UpdateProfile changes the user's name and time zone.
func (db *DB) UpdateProfile(ctx context.Context, id int64, name, tz string) (*mend.User, error) {
	return scanUser(db.Pool.QueryRow(ctx, updateProfileSQL, id, name, tz))
}

const setDiscreetTitlesSQL = `
UPDATE users SET discreet_titles = $2, updated_at = now()
WHERE id = $1
RETURNING ` + userColumns

// SetDiscreetTitles turns the user's discreet page titles on or off.
func (db *DB) SetDiscreetTitles(ctx context.Context, id int64, on bool) (*mend.User, error) {
	return scanUser(db.Pool.QueryRow(ctx, setDiscreetTitlesSQL, id, on))
}

// IsNotFound reports whether err is a NotFound domain error.
func IsNotFound(err error) bool {
	var me *mend.Error
	return errors.As(err, &me) && me.Code == mend.NotFound
}

// becomeTherapistSQL gives user $1 the professional name $2 unless they
// are a partner in a couple space. It runs after lockUserSQL, in the same
// transaction, so it sees a space started or joined before the lock.
const becomeTherapistSQL = `
UPDATE users SET professional_name = $2, updated_at = now()
WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM couple_members WHERE user_id = $1 AND left_at IS NULL)
RETURNING ` + userColumns

// BecomeTherapist gives the user a professional name. It returns a
// Conflict error while the user is a partner in a couple space. It takes
// the user's row lock before looking, as joining and starting a space do.
// One round trip: the lock and the change in one batch, one transaction.
func (db *DB) BecomeTherapist(ctx context.Context, id int64, professional string) (*mend.User, error) {
	b := &pgx.Batch{}
	b.Queue(lockUserSQL, id)
	b.Queue(becomeTherapistSQL, id, professional)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	var current string
	if err := res.QueryRow().Scan(&current); err != nil {
		return nil, mapErr(err)
	}
	u, err := scanUser(res.QueryRow())
	if IsNotFound(err) {
		return nil, mend.ErrLeaveSpaceFirst
	}
	if err != nil {
		return nil, err
	}
	return u, mapErr(res.Close())
}

const setEmailSQL = `
UPDATE users SET email = $2, email_key = $3, updated_at = now()
WHERE id = $1
RETURNING ` + userColumns

// SetEmail changes the user's email. It returns mend.ErrEmailTaken when
// another account has emailKey.
func (db *DB) SetEmail(ctx context.Context, id int64, email, emailKey string) (*mend.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, setEmailSQL, id, email, emailKey))
	if isUnique(err, "users_email_key_key") {
		return nil, mend.ErrEmailTaken
	}
	return u, err
}

// setProfessionalNameSQL renames therapist $1; a partner's account (no
// professional name) is left alone and finds no row.
const setProfessionalNameSQL = `
UPDATE users SET professional_name = $2, updated_at = now()
WHERE id = $1 AND professional_name IS NOT NULL
RETURNING ` + userColumns

// SetProfessionalName changes a therapist's professional name. It returns
// NotFound when the user is not a therapist.
func (db *DB) SetProfessionalName(ctx context.Context, id int64, professional string) (*mend.User, error) {
	return scanUser(db.Pool.QueryRow(ctx, setProfessionalNameSQL, id, professional))
}
