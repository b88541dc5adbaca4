import type { Executor } from '../db/database.js'
import { jsonb } from '../db/postgis.js'

/** What a place looked like in OpenStreetMap when it was last synced, by OSM reference. */
export async function findSyncSnapshots(
  db: Executor,
  refs: readonly string[],
): Promise<Map<string, unknown>> {
  const snapshots = new Map<string, unknown>()
  for (let i = 0; i < refs.length; i += 1000) {
    const rows = await db
      .selectFrom('osm_sync')
      .select(['osm_ref', 'snapshot'])
      .where('osm_ref', 'in', refs.slice(i, i + 1000))
      .execute()
    for (const r of rows) snapshots.set(r.osm_ref, r.snapshot)
  }
  return snapshots
}

/** Remembers what each place looked like in OpenStreetMap now (one row per place). */
export async function storeSyncSnapshots(
  db: Executor,
  rows: readonly { assetId: string; ref: string; snapshot: unknown }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('osm_sync')
      .values(
        rows.slice(i, i + 500).map((s) => ({
          asset_id: s.assetId,
          osm_ref: s.ref,
          osm_version: null,
          snapshot: jsonb(s.snapshot),
          synced_at: at,
        })),
      )
      .onConflict((oc) =>
        oc.column('asset_id').doUpdateSet((eb) => ({
          snapshot: eb.ref('excluded.snapshot'),
          synced_at: eb.ref('excluded.synced_at'),
        })),
      )
      .execute()
  }
}
