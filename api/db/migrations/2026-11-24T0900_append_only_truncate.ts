import { sql, type Kysely } from 'kysely'

/**
 * The asset history and the audit log refuse TRUNCATE too, not only UPDATE and DELETE of rows:
 * a careless `truncate assets cascade` would otherwise empty the history with it. A statement-level
 * trigger without a switch: emptying these tables takes the owner's deliberate
 * `alter table … disable trigger`, as the tests' reset does. Frozen: never edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function refuse_truncate() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name;
    end
    $$`.execute(db)
  for (const table of ['asset_history', 'audit_log']) {
    await sql`
      create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_truncate()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['asset_history', 'audit_log']) {
    await sql`drop trigger ${sql.id(`${table}_no_truncate`)} on ${sql.table(table)}`.execute(db)
  }
  await sql`drop function refuse_truncate()`.execute(db)
}
