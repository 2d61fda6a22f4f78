package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"hark"
	"hark/db"
	"hark/db/dbtest"
)

// TestOperatorsCommands adds an operator with the password on stdin, lists and removes it. Not
// parallel: it sets passwordInput.
func TestOperatorsCommands(t *testing.T) {
	pool, dbURL := dbtest.NewSchemaURL(t)
	ctx := context.Background()
	env := map[string]string{"DATABASE_URL": dbURL, "TYPESENSE_API_KEY": "unused-by-operators"}
	harkCmd := func(stdin string, args ...string) (string, error) {
		passwordInput = strings.NewReader(stdin)
		var out bytes.Buffer
		err := run(ctx, args, func(n string) string { return env[n] }, &out, &out)
		return out.String(), err
	}
	t.Cleanup(func() { passwordInput = os.Stdin })
	if out, err := harkCmd("correct horse battery\n", "operators", "add", "ada"); err != nil || !strings.Contains(out, "/admin/login") {
		t.Fatalf("add: %v\n%s", err, out)
	}
	store := db.New(pool)
	if _, _, err := store.SignInOperator(ctx, "ada", "correct horse battery"); err != nil {
		t.Fatalf("sign in with the password given on stdin: %v", err)
	}
	if _, err := harkCmd("short\n", "operators", "add", "bob"); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("a short password: %v, want ErrInvalid", err)
	}
	if out, err := harkCmd("", "operators", "list"); err != nil || !strings.Contains(out, "ada") || strings.Contains(out, "bob") {
		t.Errorf("list: %v\n%s", err, out)
	}
	if _, err := harkCmd("", "operators", "remove", "ada"); err != nil {
		t.Fatal(err)
	}
	if _, err := harkCmd("", "operators", "remove", "ada"); !errors.Is(err, hark.ErrNotFound) {
		t.Errorf("removing a removed operator: %v, want ErrNotFound", err)
	}
	if _, err := harkCmd("", "operators", "add", "ada", "pass word on argv"); err == nil {
		t.Error("a password on the command line was taken")
	}
}
