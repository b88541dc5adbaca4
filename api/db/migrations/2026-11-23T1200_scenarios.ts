import { type Kysely } from 'kysely'

/** Saved what-if scenarios: proposed places and closures, never touching the register. Frozen. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scenarios')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('threshold_m', 'float8', (c) => c.notNull())
    .addColumn('res', 'integer', (c) => c.notNull())
    .addColumn('add', 'jsonb', (c) => c.notNull())
    .addColumn('close', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scenarios').execute()
}
