import type { AreaLevel } from '../domain/areas.js'
import type { PlaceRecord } from '../domain/places.js'
import { latOf, lonOf } from '../db/postgis.js'
import type { Executor } from './assets.js'

/** Every live (not deleted) asset, with what the analysis needs to know of it. */
export async function listPlaceRecords(db: Executor): Promise<PlaceRecord[]> {
  const rows = await db
    .selectFrom('assets')
    .select([
      'id',
      'name',
      'kind',
      'is_meeting_place',
      'status',
      'wheelchair',
      'free_entry',
      'opening_hours',
      'gemeente_code',
      'wijk_code',
      'buurt_code',
      'pc4_code',
      lonOf('geom').as('lon'),
      latOf('geom').as('lat'),
    ])
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ ...r, lon: Number(r.lon), lat: Number(r.lat) }) as PlaceRecord)
}

/** Code, name and level of every area (no geometry). */
export async function listAreaNames(
  db: Executor,
): Promise<{ code: string; name: string; level: AreaLevel }[]> {
  return db.selectFrom('areas').select(['code', 'name', 'level']).orderBy('code').execute()
}
