import { sql, type Kysely } from 'kysely'

/** PostGIS, areas, the asset register and its append-only history. Frozen: never edit. */
export async function up(db: Kysely<any>): Promise<void> {
  const available = await sql<{ name: string }>`
    select name from pg_available_extensions where name = 'postgis'`.execute(db)
  if (available.rows.length === 0) {
    throw new Error(
      'PostGIS is not installed on this PostgreSQL server. Install it (on Debian: ' +
        'apt-get install postgresql-<major>-postgis-3) or run without DATABASE_URL to use the ' +
        'embedded database.',
    )
  }
  await sql`create extension if not exists postgis`.execute(db)

  await db.schema
    .createTable('areas')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('gemeente', 'wijk', 'buurt', 'pc4')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gemeente_code', 'text')
    .addColumn('parent_code', 'text')
    .addColumn('inhabitants', 'integer', (c) => c.check(sql`inhabitants >= 0`))
    .addColumn('inhabitants_year', 'integer')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('geom', sql`geometry(MultiPolygon, 4326)`, (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index areas_geom_idx on areas using gist (geom)`.execute(db)
  await db.schema.createIndex('areas_level_idx').on('areas').column('level').execute()

  await db.schema
    .createTable('assets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('is_meeting_place', 'boolean', (c) => c.notNull())
    .addColumn('geom', sql`geometry(Point, 4326)`, (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('description', 'text')
    .addColumn('organisation', 'text')
    .addColumn('target_groups', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('activities', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('opening_hours', 'text')
    .addColumn('wheelchair', 'text', (c) =>
      c.notNull().check(sql`wheelchair in ('yes', 'limited', 'no', 'unknown')`),
    )
    .addColumn('free_entry', 'boolean')
    .addColumn('capacity', 'integer', (c) => c.check(sql`capacity >= 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'planned', 'closed')`),
    )
    .addColumn('location_precision', 'text', (c) =>
      c.notNull().check(sql`location_precision in ('exact', 'street', 'district', 'town')`),
    )
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('user', 'osm', 'cbs', 'import', 'seed')`),
    )
    .addColumn('source_ref', 'text')
    .addColumn('gemeente_code', 'text')
    .addColumn('wijk_code', 'text')
    .addColumn('buurt_code', 'text')
    .addColumn('pc4_code', 'text')
    .addColumn('verified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'text')
    .execute()
  await sql`create index assets_geom_idx on assets using gist (geom)`.execute(db)
  await sql`create unique index assets_source_ref_idx on assets (source, source_ref)
    where source_ref is not null`.execute(db)
  await db.schema.createIndex('assets_name_id_idx').on('assets').columns(['name', 'id']).execute()
  await db.schema.createIndex('assets_gemeente_idx').on('assets').column('gemeente_code').execute()

  await db.schema
    .createTable('asset_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('create', 'update', 'delete', 'restore', 'import')`),
    )
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute()
  await db.schema
    .createIndex('asset_history_asset_idx')
    .on('asset_history')
    .columns(['asset_id', 'version'])
    .unique()
    .execute()

  // The history is append-only: the database itself refuses updates and deletes of entries.
  await sql`
    create function asset_history_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'asset_history is append-only';
    end
    $$`.execute(db)
  await sql`
    create trigger asset_history_append_only before update or delete on asset_history
    for each row execute function asset_history_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('asset_history').execute()
  await sql`drop function asset_history_append_only()`.execute(db)
  await db.schema.dropTable('assets').execute()
  await db.schema.dropTable('areas').execute()
}
