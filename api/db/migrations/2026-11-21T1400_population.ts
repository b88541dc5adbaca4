import { sql, type Kysely } from 'kysely'

/**
 * The stored population surface (per H3 resolution) and a data version that every change to
 * assets or areas bumps, so caches know when to refresh. Frozen: never edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_version')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('assets', 'bigint', (c) => c.notNull())
    .addColumn('areas', 'bigint', (c) => c.notNull())
    .execute()
  await sql`insert into data_version (id, assets, areas) values (1, 1, 1)`.execute(db)
  for (const table of ['assets', 'areas']) {
    await sql
      .raw(
        `create function bump_${table}_version() returns trigger language plpgsql as $$
         begin
           update data_version set ${table} = ${table} + 1 where id = 1;
           return null;
         end $$`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger ${table}_version after insert or update or delete or truncate on ${table}
         for each statement execute function bump_${table}_version()`,
      )
      .execute(db)
  }

  await db.schema
    .createTable('population_meta')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('source_level', 'text', (c) => c.notNull())
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    .addColumn('inhabitants', 'integer', (c) => c.notNull())
    .addColumn('areas_version', 'bigint', (c) => c.notNull())
    .addColumn('built_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('population_cells')
    .addColumn('res', 'smallint', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addColumn('inhabitants', 'integer', (c) => c.notNull())
    .addColumn('lon', 'float8', (c) => c.notNull())
    .addColumn('lat', 'float8', (c) => c.notNull())
    .addColumn('x', 'float8', (c) => c.notNull())
    .addColumn('y', 'float8', (c) => c.notNull())
    .addPrimaryKeyConstraint('population_cells_pk', ['res', 'cell'])
    .execute()

  await db.schema
    .createTable('population_portions')
    .addColumn('res', 'smallint', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('inhabitants', 'integer', (c) => c.notNull())
    .addColumn('gemeente_code', 'text')
    .addColumn('wijk_code', 'text')
    .addColumn('buurt_code', 'text')
    .addColumn('pc4_code', 'text')
    .addPrimaryKeyConstraint('population_portions_pk', ['res', 'cell', 'area_code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('population_portions').execute()
  await db.schema.dropTable('population_cells').execute()
  await db.schema.dropTable('population_meta').execute()
  for (const table of ['assets', 'areas']) {
    await sql.raw(`drop trigger ${table}_version on ${table}`).execute(db)
    await sql.raw(`drop function bump_${table}_version()`).execute(db)
  }
  await db.schema.dropTable('data_version').execute()
}
