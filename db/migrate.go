package db

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"hark"
	"hark/migrations"
)

// Migrate applies Hark's migrations and River's, and logs what it applied.
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	// River's tables first: Hark's operator views (migration 00014) read river_job.
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("migrate river tables: %w", err)
	}
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("migrate river tables: %w", err)
	}
	for _, v := range res.Versions {
		logger.InfoContext(ctx, "River migration applied", slog.Int("version", v.Version))
	}

	provider, sqlDB, err := gooseProvider(pool)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate hark tables: %w", err)
	}
	for _, r := range results {
		logger.InfoContext(ctx, "Migration applied", slog.String("source", r.Source.Path), slog.Duration("duration", r.Duration))
	}
	// river_job is River's table, not a goose migration's, so its autovacuum settings are set
	// here, on every migrate (the statement is idempotent and takes no lock that blocks the
	// queue). Jobs are inserted and deleted all day: vacuum after a fixed number of dead rows
	// rather than a share of a table whose size swings.
	if _, err := pool.Exec(ctx, `ALTER TABLE river_job SET (autovacuum_vacuum_scale_factor = 0,
		autovacuum_vacuum_threshold = 5000, autovacuum_analyze_scale_factor = 0.02)`); err != nil {
		return fmt.Errorf("tune river_job autovacuum: %w", err)
	}
	return nil
}

// CheckMigrated returns an ErrInvalid error telling the operator to run `hark migrate` when
// Hark's or River's migrations are not all applied.
func CheckMigrated(ctx context.Context, pool *pgxpool.Pool) error {
	var missing bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('goose_db_version') IS NULL`).Scan(&missing); err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if missing {
		return hark.Errorf(hark.ErrInvalid, "the database is not migrated: run `hark migrate` first")
	}
	provider, sqlDB, err := gooseProvider(pool)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	pending, err := provider.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if pending {
		return hark.Errorf(hark.ErrInvalid, "the database is not migrated: run `hark migrate` first")
	}
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("check river migrations: %w", err)
	}
	res, err := migrator.Validate(ctx, nil)
	if err != nil {
		return fmt.Errorf("check river migrations: %w", err)
	}
	if !res.OK {
		return hark.Errorf(hark.ErrInvalid, "River's tables are not migrated (%v): run `hark migrate` first", res.Messages)
	}
	return nil
}

func gooseProvider(pool *pgxpool.Pool) (*goose.Provider, interface{ Close() error }, error) {
	sqlDB := stdlib.OpenDBFromPool(pool)
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("load migrations: %w", err)
	}
	return provider, sqlDB, nil
}

// Ping checks that the database answers.
func Ping(ctx context.Context, pool *pgxpool.Pool) error {
	var one int
	return pool.QueryRow(ctx, `SELECT 1`).Scan(&one)
}
