package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/argon2"

	"hark"
)

// Operator is a named account that may sign in to the operator views.
type Operator struct {
	ID          int64
	Name        string
	CreatedAt   time.Time
	LastLoginAt time.Time // zero when it never signed in
}

// OperatorSessionTTL is how long a sign-in lasts.
const OperatorSessionTTL = 12 * time.Hour

// PasswordMinLength is the shortest operator password accepted.
const PasswordMinLength = 12

// argon2id parameters: OWASP's recommended minimum (19 MiB, two passes, one lane), which costs
// about 30 ms a sign-in on one core.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
)

var validOperatorName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// CreateOperator adds an operator account with password, kept as an argon2id hash. Returns
// ErrInvalid for a bad name or a short password and ErrConflict for a name taken.
func (s *Store) CreateOperator(ctx context.Context, name, password string) (Operator, error) {
	if !validOperatorName.MatchString(name) {
		return Operator{}, hark.Errorf(hark.ErrInvalid, "operator name %q: use 1-64 lower-case letters, digits, '.', '_' or '-'", name)
	}
	if len([]rune(password)) < PasswordMinLength {
		return Operator{}, hark.Errorf(hark.ErrInvalid, "the password must have at least %d characters", PasswordMinLength)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return Operator{}, err
	}
	o := Operator{Name: name}
	err = s.db.QueryRow(ctx, `INSERT INTO operators (name, password_hash) VALUES ($1, $2) RETURNING id, created_at`,
		name, hash).Scan(&o.ID, &o.CreatedAt)
	if err != nil {
		return Operator{}, fmt.Errorf("create operator %s: %w", name, interpretError(err))
	}
	return o, nil
}

// ListOperators returns every operator account, by name.
func (s *Store) ListOperators(ctx context.Context) ([]Operator, error) {
	return queryAll(ctx, s.db, "list operators", scanOperator,
		`SELECT id, name, created_at, last_login_at FROM operators ORDER BY name`)
}

// DeleteOperator removes the operator account and its sessions. Returns ErrNotFound for an
// unknown name.
func (s *Store) DeleteOperator(ctx context.Context, name string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM operators WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("delete operator %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete operator %s: %w", name, hark.ErrNotFound)
	}
	return nil
}

// HasOperators reports whether any operator account exists.
func (s *Store) HasOperators(ctx context.Context) (bool, error) {
	var exists bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM operators)`).Scan(&exists); err != nil {
		return false, fmt.Errorf("look for operators: %w", err)
	}
	return exists, nil
}

// SignInOperator checks name and password and, when they match, opens a session and returns
// its token (for the cookie; Postgres keeps its SHA-256). Returns ErrUnauthorized for an unknown
// name or a wrong password, alike.
func (s *Store) SignInOperator(ctx context.Context, name, password string) (string, Operator, error) {
	var o Operator
	var hash string
	var last *time.Time
	err := s.db.QueryRow(ctx, `SELECT id, name, created_at, last_login_at, password_hash FROM operators WHERE name = $1`,
		name).Scan(&o.ID, &o.Name, &o.CreatedAt, &last, &hash)
	if err != nil && interpretError(err) != hark.ErrNotFound {
		return "", Operator{}, fmt.Errorf("sign in operator: %w", err)
	}
	if err != nil {
		// The same work as a known name, so timing does not tell which names exist.
		_, _ = checkPassword(dummyHash, password)
		return "", Operator{}, hark.Errorf(hark.ErrUnauthorized, "wrong name or password")
	}
	if ok, err := checkPassword(hash, password); err != nil || !ok {
		return "", Operator{}, hark.Errorf(hark.ErrUnauthorized, "wrong name or password")
	}
	o.LastLoginAt = timeOrZero(last)
	token := rand.Text()
	sum := sha256.Sum256([]byte(token))
	_, err = s.db.Exec(ctx, `
		WITH gone AS (DELETE FROM operator_sessions WHERE expires_at < now())
		, seen AS (UPDATE operators SET last_login_at = now() WHERE id = $2)
		INSERT INTO operator_sessions (token_hash, operator_id, expires_at) VALUES ($1, $2, now() + $3::interval)`,
		sum[:], o.ID, OperatorSessionTTL.String())
	if err != nil {
		return "", Operator{}, fmt.Errorf("open operator session: %w", err)
	}
	return token, o, nil
}

// FindOperatorSession returns the operator signed in with token. Returns ErrUnauthorized for an
// unknown or expired session.
func (s *Store) FindOperatorSession(ctx context.Context, token string) (Operator, error) {
	sum := sha256.Sum256([]byte(token))
	o, err := scanOperator(s.db.QueryRow(ctx, `
		SELECT o.id, o.name, o.created_at, o.last_login_at
		FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
		WHERE s.token_hash = $1 AND s.expires_at > now()`, sum[:]))
	if err != nil {
		if interpretError(err) == hark.ErrNotFound {
			return Operator{}, hark.Errorf(hark.ErrUnauthorized, "not signed in")
		}
		return Operator{}, fmt.Errorf("find operator session: %w", err)
	}
	return o, nil
}

// EndOperatorSession signs the session with token out; an unknown token is no error.
func (s *Store) EndOperatorSession(ctx context.Context, token string) error {
	sum := sha256.Sum256([]byte(token))
	if _, err := s.db.Exec(ctx, `DELETE FROM operator_sessions WHERE token_hash = $1`, sum[:]); err != nil {
		return fmt.Errorf("end operator session: %w", err)
	}
	return nil
}

func scanOperator(row pgx.Row) (Operator, error) {
	var o Operator
	var last *time.Time
	err := row.Scan(&o.ID, &o.Name, &o.CreatedAt, &last)
	o.LastLoginAt = timeOrZero(last)
	return o, err
}

// dummyHash is checked against for unknown names; its password is random and unknown.
var dummyHash = func() string {
	h, _ := hashPassword(rand.Text())
	return h
}()

var b64 = base64.RawStdEncoding

// hashPassword returns the argon2id hash of password in the PHC string format that other
// tools read: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches an encoded hash, with the parameters the
// hash names, so hashes made with older parameters keep working.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, fmt.Errorf("check password: not an argon2id hash")
	}
	var mem, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &lanes); err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, passes, mem, lanes, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
