/**
 * The data of the load and tile benchmarks (scripts/bench/load.ts): 100,000 generated assets over
 * Flevoland from a fixed seed, and a loader that puts them, with the real CBS areas, into a
 * migrated database (PostgreSQL or PGlite) the way an import would leave it.
 *
 * - Positions: 70 % inside a real CBS wijk drawn by its inhabitants (so cities are dense, as in
 *   reality), 30 % uniform over the real province boundary; every point lies inside the province.
 * - Attributes: kinds drawn from the taxonomy (meeting place as the kind says), mostly active,
 *   some planned or closed, mixed wheelchair access, some opening hours: what the filters see.
 * - Loading: the real `importAreas` for gemeenten, wijken and PC4 (population surface from the
 *   wijken, as the gap-analysis benchmark uses); the assets in `INSERT … SELECT … FROM unnest(…)`
 *   statements (one per batch, the rows as one jsonb parameter read by jsonb_to_recordset); area codes by the service's own spatial join
 *   (`assignAreaCodes`); and one `import` history entry per asset written by `INSERT … SELECT`,
 *   holding the asset exactly as the register returns it (checked on a sample), so the history
 *   stays complete.
 */
import fs from 'node:fs'
import path from 'node:path'
import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../api/db/create-db.js'
import { migrateToLatest } from '../../api/db/create-db.js'
import { KINDS } from '../../api/domain/kinds.js'
import { jsonb } from '../../api/db/postgis.js'
import { assignAreaCodes, findAssets } from '../../api/repositories/assets.js'
import { importAreas } from '../../api/services/areas.js'
import { rng, SHARED } from './network.js'

export const ASSET_COUNT = 100_000
export const ASSET_SEED = 20261208
/** The moment every generated asset was created (and its history entry written). */
export const LOADED_AT = new Date('2026-11-21T12:00:00.000Z')

type Geometry = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
interface Collection {
  features: { properties: Record<string, unknown>; geometry: Geometry }[]
}

export function readShared(file: string): Collection {
  const full = path.join(SHARED, file)
  if (!fs.existsSync(full))
    throw new Error(`The benchmark needs the real data: ${full} is missing.`)
  return JSON.parse(fs.readFileSync(full, 'utf8')) as Collection
}

/** The generated register as column arrays. */
export interface GeneratedAssets {
  readonly id: string[]
  readonly name: string[]
  readonly kind: string[]
  readonly meeting: boolean[]
  readonly lon: number[]
  readonly lat: number[]
  readonly wheelchair: string[]
  readonly status: string[]
  readonly openingHours: (string | null)[]
  readonly capacity: (number | null)[]
}

const WHEELCHAIR = ['yes', 'yes', 'limited', 'no', 'unknown', 'unknown'] as const
const HOURS = ['Mo-Fr 09:00-17:00', 'Mo-Sa 10:00-22:00', 'Tu,Th 13:30-16:30', '24/7'] as const

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16))
  hex[12] = '4'
  hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16)
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** 100,000 assets (or `count`) over Flevoland from the fixed seed: the same on every run. */
export function generateAssets(count = ASSET_COUNT, seed = ASSET_SEED): GeneratedAssets {
  const random = rng(seed)
  const province = readShared('flevoland_provincie_2022.geojson').features[0]
  if (!province) throw new Error('no province boundary')
  const [pMinLon, pMinLat, pMaxLon, pMaxLat] = turfBbox(province as never)
  const wijken = readShared('flevoland_wijken_2022.geojson').features.map((f) => ({
    feature: f,
    box: turfBbox(f as never),
    weight: Math.max(0, Number(f.properties.population) || 0),
  }))
  const totalWeight = wijken.reduce((s, w) => s + w.weight, 0)
  const inside = (p: [number, number], f: unknown) => booleanPointInPolygon(p, f as never)
  const out: GeneratedAssets = {
    id: [],
    name: [],
    kind: [],
    meeting: [],
    lon: [],
    lat: [],
    wheelchair: [],
    status: [],
    openingHours: [],
    capacity: [],
  }
  while (out.id.length < count) {
    let p: [number, number]
    if (random() < 0.7) {
      let r = random() * totalWeight
      const w = wijken.find((x) => (r -= x.weight) < 0)
      if (!w) continue
      const [a, b, c, d] = w.box
      do p = [a + random() * (c - a), b + random() * (d - b)]
      while (!inside(p, w.feature) || !inside(p, province))
    } else {
      do p = [pMinLon + random() * (pMaxLon - pMinLon), pMinLat + random() * (pMaxLat - pMinLat)]
      while (!inside(p, province))
    }
    const kind = KINDS[Math.floor(random() * KINDS.length)] as (typeof KINDS)[number]
    const i = out.id.length
    const s = random()
    out.id.push(uuidFrom(random))
    out.name.push(`${kind.label.nl} ${i + 1}`)
    out.kind.push(kind.code)
    out.meeting.push(kind.meetingPlace)
    out.lon.push(Number(p[0].toFixed(7)))
    out.lat.push(Number(p[1].toFixed(7)))
    out.wheelchair.push(WHEELCHAIR[Math.floor(random() * WHEELCHAIR.length)] as string)
    out.status.push(s < 0.9 ? 'active' : s < 0.95 ? 'planned' : 'closed')
    out.openingHours.push(random() < 0.3 ? (HOURS[Math.floor(random() * 4)] as string) : null)
    out.capacity.push(random() < 0.5 ? Math.floor(random() * 300) : null)
  }
  return out
}

export interface LoadTimes {
  /** Migrations and the real CBS areas with their population surface. */
  readonly areasMs: number
  readonly assetsMs: number
  readonly areaCodesMs: number
  readonly historyMs: number
  readonly batches: number
}

/**
 * Migrates the (empty) database, imports the real areas and loads the generated assets with
 * their area codes and history. `batch`: assets per INSERT statement.
 */
export async function loadBenchData(
  handle: DatabaseHandle,
  assets: GeneratedAssets,
  batch: number,
): Promise<LoadTimes> {
  const { db } = handle
  let t = performance.now()
  await migrateToLatest(db)
  const areaFile = (file: string, year: number) => ({
    collection: readShared(file) as unknown,
    year,
    source: `CBS / Kadaster (${file})`,
  })
  await importAreas({ db, clock: { now: () => LOADED_AT } }, [
    areaFile('flevoland_gemeenten_2022.geojson', 2022),
    areaFile('flevoland_wijken_2022.geojson', 2022),
    areaFile('flevoland_pc4_2020geom_pop2021.geojson', 2021),
  ])
  const areasMs = performance.now() - t

  t = performance.now()
  let batches = 0
  for (let i = 0; i < assets.id.length; i += batch) {
    const rows = assets.id.slice(i, i + batch).map((id, k) => ({
      id,
      name: assets.name[i + k],
      kind: assets.kind[i + k],
      meeting: assets.meeting[i + k],
      lon: assets.lon[i + k],
      lat: assets.lat[i + k],
      hours: assets.openingHours[i + k],
      wheelchair: assets.wheelchair[i + k],
      capacity: assets.capacity[i + k],
      status: assets.status[i + k],
    }))
    await sql`
      insert into assets (id, name, kind, is_meeting_place, geom, opening_hours, wheelchair,
        capacity, status, location_precision, source, source_ref,
        created_at, created_by, updated_at, updated_by, version)
      select t.id, t.name, t.kind, t.meeting, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326),
        t.hours, t.wheelchair, t.capacity, t.status, 'exact', 'import', 'bench:' || t.id,
        ${LOADED_AT}, 'import', ${LOADED_AT}, 'import', 1
      from jsonb_to_recordset(${jsonb(rows)}) as t(id uuid, name text, kind text,
        meeting boolean, lon float8, lat float8, hours text, wheelchair text, capacity integer,
        status text)`.execute(db)
    batches++
  }
  const assetsMs = performance.now() - t

  t = performance.now()
  await assignAreaCodes(db)
  const areaCodesMs = performance.now() - t

  // One `import` entry per asset with the asset as the register returns it (toAsset's shape).
  t = performance.now()
  const iso = (col: string) =>
    sql.raw(
      `case when ${col} is null then null else to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end`,
    )
  await sql`
    insert into asset_history (asset_id, version, action, actor, at, before, after)
    select a.id, a.version, 'import', 'import', a.created_at, null, jsonb_build_object(
      'id', a.id, 'name', a.name, 'kind', a.kind, 'is_meeting_place', a.is_meeting_place,
      'address', a.address, 'description', a.description, 'organisation', a.organisation,
      'contact_name', a.contact_name, 'contact_email', a.contact_email,
      'contact_phone', a.contact_phone, 'target_groups', to_jsonb(a.target_groups),
      'activities', to_jsonb(a.activities), 'opening_hours', a.opening_hours,
      'wheelchair', a.wheelchair, 'free_entry', a.free_entry, 'capacity', a.capacity,
      'status', a.status, 'location_precision', a.location_precision,
      'source_ref', a.source_ref, 'verified_at', ${iso('a.verified_at')}, 'source', a.source,
      'gemeente_code', a.gemeente_code, 'wijk_code', a.wijk_code, 'buurt_code', a.buurt_code,
      'pc4_code', a.pc4_code, 'created_at', ${iso('a.created_at')}, 'created_by', a.created_by,
      'updated_at', ${iso('a.updated_at')}, 'updated_by', a.updated_by,
      'verified_by_role', a.verified_by_role, 'version', a.version,
      'deleted_at', ${iso('a.deleted_at')}, 'lon', ST_X(a.geom), 'lat', ST_Y(a.geom))
    from assets a where a.source_ref like 'bench:%'`.execute(db)
  const historyMs = performance.now() - t
  await sql`analyze`.execute(db)

  // The history must hold what the register returns: compare a sample exactly.
  const sample = assets.id.filter((_, i) => i % 997 === 0)
  const found = await findAssets(db, sample)
  const rows = await db
    .selectFrom('asset_history')
    .select(['asset_id', 'after'])
    .where('asset_id', 'in', sample)
    .execute()
  if (rows.length !== sample.length) throw new Error('history incomplete')
  for (const row of rows) {
    const expected = JSON.stringify(sortKeys(found.get(row.asset_id)))
    const actual = JSON.stringify(sortKeys(row.after))
    if (expected !== actual)
      throw new Error(`history entry differs from the asset:\n${expected}\n${actual}`)
  }
  return { areasMs, assetsMs, areaCodesMs, historyMs, batches }
}

function sortKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortKeys(v)]),
  )
}
