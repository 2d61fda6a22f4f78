package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"hark/cmd/internal/app"
)

const operatorsUsage = "hark operators add NAME | list | remove NAME (add reads the password from stdin, or asks on a terminal)"

// passwordInput is where `hark operators add` reads the password: never from the command line,
// which other users of the machine may see in the process list.
var passwordInput io.Reader = os.Stdin

func runOperators(ctx context.Context, cfg app.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	var do func(*app.App) error
	switch {
	case len(args) == 2 && args[0] == "add":
		password, err := readPassword(passwordInput, stdout)
		if err != nil {
			return err
		}
		do = func(a *app.App) error {
			if _, err := a.Store.CreateOperator(ctx, args[1], password); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Operator %s added: sign in at %s/admin/login\n", args[1], cfg.BaseURL)
			return nil
		}
	case len(args) == 1 && args[0] == "list":
		do = func(a *app.App) error { return listOperators(ctx, a, stdout) }
	case len(args) == 2 && args[0] == "remove":
		do = func(a *app.App) error { return a.Store.DeleteOperator(ctx, args[1]) }
	default:
		return fmt.Errorf("%w: %s", errUsage, operatorsUsage)
	}
	a, err := app.New(ctx, cfg, logger, app.Opts{Migrated: true})
	if err != nil {
		return err
	}
	defer a.Close()
	return do(a)
}

func listOperators(ctx context.Context, a *app.App, stdout io.Writer) error {
	ops, err := a.Store.ListOperators(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED\tLAST SIGN-IN")
	for _, o := range ops {
		last := "never"
		if !o.LastLoginAt.IsZero() {
			last = o.LastLoginAt.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Name, o.CreatedAt.UTC().Format("2006-01-02 15:04"), last)
	}
	return tw.Flush()
}

// readPassword asks twice on a terminal, without echo; otherwise it reads the first line.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprint(prompt, "\nAgain: ")
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(again) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
