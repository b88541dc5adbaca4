import { sql, type Kysely } from 'kysely'

/**
 * The population model that keeps CBS's numbers (issue 17):
 * - `area_counts`: inhabitants per area and year (the count in an area file, and newer counts
 *   from a CBS key-figures table without new geometry), filled from `areas` for what is there;
 * - the surface holds fractional inhabitants (no rounding to whole people per area);
 * - portions are per res-10 unit (finest administrative area), PC4 and cell;
 * - `population_controls`: per administrative area, its official count and what the surface
 *   holds, so anyone can check the control totals in SQL.
 * The stored surface is dropped: the service rebuilds it with the new model at start.
 * Frozen: never edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('area_counts')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 1900 and 2200`))
    .addColumn('inhabitants', 'integer', (c) => c.notNull().check(sql`inhabitants >= 0`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('area_counts_pk', ['code', 'year'])
    .execute()
  await sql`insert into area_counts (code, year, inhabitants, source, imported_at)
    select code, inhabitants_year, inhabitants, source, imported_at from areas
    where inhabitants is not null and inhabitants_year is not null`.execute(db)
  // A count is part of the areas' data: changing one changes what every figure is based on.
  await sql`create trigger area_counts_version after insert or update or delete or truncate
    on area_counts for each statement execute function bump_areas_version()`.execute(db)

  await db.schema.dropTable('population_portions').execute()
  await db.schema
    .createTable('population_portions')
    .addColumn('res', 'smallint', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('gemeente_code', 'text')
    .addColumn('wijk_code', 'text')
    .addColumn('buurt_code', 'text')
    .addColumn('pc4_code', 'text')
    .addColumn('inhabitants', 'float8', (c) => c.notNull().check(sql`inhabitants >= 0`))
    .execute()
  await db.schema
    .createIndex('population_portions_res_idx')
    .on('population_portions')
    .columns(['res', 'cell'])
    .execute()

  await db.deleteFrom('population_cells').execute()
  await db.deleteFrom('population_meta').execute()
  await sql`alter table population_cells alter column inhabitants type float8`.execute(db)
  await sql`alter table population_meta alter column inhabitants type float8`.execute(db)
  await db.schema
    .alterTable('population_meta')
    .addColumn('model_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('population_meta').addColumn('year', 'integer').execute()
  await db.schema
    .alterTable('population_meta')
    .addColumn('model', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()

  await db.schema
    .createTable('population_controls')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('year', 'integer')
    .addColumn('official', 'integer', (c) => c.notNull())
    .addColumn('surface', 'float8', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('population_controls').execute()
  await db.schema.alterTable('population_meta').dropColumn('model').execute()
  await db.schema.alterTable('population_meta').dropColumn('year').execute()
  await db.schema.alterTable('population_meta').dropColumn('model_version').execute()
  await db.deleteFrom('population_cells').execute()
  await db.deleteFrom('population_meta').execute()
  await sql`alter table population_meta alter column inhabitants type integer`.execute(db)
  await sql`alter table population_cells alter column inhabitants type integer`.execute(db)
  await db.schema.dropTable('population_portions').execute()
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
  await sql`drop trigger area_counts_version on area_counts`.execute(db)
  await db.schema.dropTable('area_counts').execute()
}
