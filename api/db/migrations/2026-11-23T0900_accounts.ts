import { sql, type Kysely } from 'kysely'

/**
 * Accounts, sessions, API tokens, settings, the moderation queue and the audit log; contact
 * fields and the verification stamp on assets; proposals and reverts in the asset history.
 * Frozen: never edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Lower-cased; null once the account is anonymised.
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('contributor', 'trusted', 'moderator', 'admin')`),
    )
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('sessions')
    // SHA-256 of the cookie value: a database dump does not hold usable session ids.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('contributor', 'trusted', 'moderator', 'admin')`),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()

  // Failed logins, keyed by a hash of the account or the address; old rows are pruned.
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('login_failures_key_idx')
    .on('login_failures')
    .columns(['key_hash', 'at'])
    .execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('create', 'update', 'delete')`),
    )
    .addColumn('asset_id', 'uuid', (c) => c.references('assets.id'))
    .addColumn('base_version', 'integer')
    .addColumn('payload', 'jsonb')
    .addColumn('before', 'jsonb')
    .addColumn('proposer_id', 'uuid', (c) => c.references('users.id'))
    // Anonymous suggestions: a hash of the address, for the hourly limit only.
    .addColumn('proposer_address_hash', 'text')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('result_asset_id', 'uuid')
    .addColumn('result_version', 'integer')
    .execute()
  await db.schema
    .createIndex('proposals_status_idx')
    .on('proposals')
    .columns(['status', 'created_at'])
    .execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute()
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end
    $$`.execute(db)
  await sql`
    create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db)

  await sql`alter table assets
    add column contact_name text,
    add column contact_email text,
    add column contact_phone text,
    add column verified_by_role text`.execute(db)

  await sql`alter table asset_history
    add column proposal_id uuid,
    add column note text`.execute(db)
  await sql`alter table asset_history drop constraint asset_history_action_check`.execute(db)
  await sql`alter table asset_history add constraint asset_history_action_check
    check (action in ('create', 'update', 'delete', 'restore', 'import', 'revert'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table asset_history drop constraint asset_history_action_check`.execute(db)
  await sql`alter table asset_history add constraint asset_history_action_check
    check (action in ('create', 'update', 'delete', 'restore', 'import'))`.execute(db)
  await sql`alter table asset_history drop column proposal_id, drop column note`.execute(db)
  await sql`alter table assets drop column contact_name, drop column contact_email,
    drop column contact_phone, drop column verified_by_role`.execute(db)
  await db.schema.dropTable('audit_log').execute()
  await sql`drop function audit_log_append_only()`.execute(db)
  for (const t of ['proposals', 'settings', 'login_failures', 'api_tokens', 'sessions', 'users']) {
    await db.schema.dropTable(t).execute()
  }
}
