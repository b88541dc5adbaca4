import { sql, type Kysely } from 'kysely'

/**
 * API tokens expire. Null for tokens made before this migration: for those, and for every token,
 * the configured maximum lifetime from `created_at` holds too (BUURTKAART_TOKEN_MAX_DAYS).
 * Frozen: never edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens add column expires_at timestamptz`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens drop column expires_at`.execute(db)
}
