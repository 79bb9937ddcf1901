import { applyD1Migrations, env } from "cloudflare:test";

// Applied once per test file; migrations are idempotent through the d1_migrations table.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
