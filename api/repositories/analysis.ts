import { sql } from 'kysely'
import type { AreaLevel } from '../domain/areas.js'
import type { PlaceRecord } from '../domain/places.js'
import { latOf, lonOf } from '../db/postgis.js'
import { toIso } from './assets.js'
import type { Executor } from '../db/database.js'

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
      'location_precision',
      'source',
      'verified_at',
      lonOf('geom').as('lon'),
      latOf('geom').as('lat'),
    ])
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute()
  return rows.map(
    (r) =>
      ({
        ...r,
        lon: Number(r.lon),
        lat: Number(r.lat),
        verified_at: r.verified_at ? toIso(r.verified_at) : null,
      }) as PlaceRecord,
  )
}

/** Code, name and level of every area, with a point inside it and its surface (km², RD New). */
export async function listAreaNames(db: Executor): Promise<
  {
    code: string
    name: string
    level: AreaLevel
    lon: number
    lat: number
    area_km2: number
  }[]
> {
  const rows = await db
    .selectFrom('areas')
    .select([
      'code',
      'name',
      'level',
      sql<number>`ST_X(ST_PointOnSurface(geom))`.as('lon'),
      sql<number>`ST_Y(ST_PointOnSurface(geom))`.as('lat'),
      sql<number>`ST_Area(ST_Transform(geom, 28992)) / 1e6`.as('area_km2'),
    ])
    .orderBy('code')
    .execute()
  return rows.map((r) => ({
    ...r,
    lon: Number(r.lon),
    lat: Number(r.lat),
    area_km2: Number(r.area_km2),
  }))
}
