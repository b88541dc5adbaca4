import { sql, type Kysely } from 'kysely'

/**
 * The walk and bike networks built from OpenStreetMap, stored so that other tools (pgRouting,
 * QGIS) can use them: `network_edges` follows pgRouting's column convention (id, source, target,
 * cost, reverse_cost; a negative cost means "not in this direction"). One row per edge and profile.
 * `osm_sync` remembers what an OpenStreetMap import last wrote into an asset, so a re-import can
 * tell a person's edit from a change in OpenStreetMap. Frozen: never edit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('network_nodes')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('osm_id', 'bigint', (c) => c.notNull())
    .addColumn('geom', sql`geometry(Point, 4326)`, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('network_edges')
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull().check(sql`profile in ('walk', 'bike')`))
    .addColumn('source', 'integer', (c) => c.notNull())
    .addColumn('target', 'integer', (c) => c.notNull())
    .addColumn('cost', 'float8', (c) => c.notNull())
    .addColumn('reverse_cost', 'float8', (c) => c.notNull())
    .addColumn('length_m', 'float8', (c) => c.notNull().check(sql`length_m >= 0`))
    .addColumn('penalty_m', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('osm_way_id', 'bigint', (c) => c.notNull())
    .addColumn('highway', 'text', (c) => c.notNull())
    .addColumn('geom', sql`geometry(LineString, 4326)`, (c) => c.notNull())
    .addPrimaryKeyConstraint('network_edges_pk', ['profile', 'id'])
    .execute()
  await sql`create index network_edges_geom_idx on network_edges using gist (geom)`.execute(db)

  await db.schema
    .createTable('network_meta')
    .addColumn('profile', 'text', (c) => c.primaryKey())
    .addColumn('nodes', 'integer', (c) => c.notNull())
    .addColumn('edges', 'integer', (c) => c.notNull())
    .addColumn('source', 'jsonb', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await sql`alter table data_version add column network bigint not null default 1`.execute(db)
  await sql`
    create function bump_network_version() returns trigger language plpgsql as $$
    begin
      update data_version set network = network + 1 where id = 1;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger network_version after insert or update or delete or truncate on network_meta
    for each statement execute function bump_network_version()`.execute(db)

  await db.schema
    .createTable('osm_sync')
    .addColumn('asset_id', 'uuid', (c) => c.primaryKey().references('assets.id'))
    .addColumn('osm_ref', 'text', (c) => c.notNull().unique())
    .addColumn('osm_version', 'integer')
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('synced_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('osm_sync').execute()
  await sql`drop trigger network_version on network_meta`.execute(db)
  await sql`drop function bump_network_version()`.execute(db)
  await sql`alter table data_version drop column network`.execute(db)
  await db.schema.dropTable('network_meta').execute()
  await db.schema.dropTable('network_edges').execute()
  await db.schema.dropTable('network_nodes').execute()
}
