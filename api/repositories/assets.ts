import { sql, type ExpressionBuilder, type UpdateObject } from 'kysely'
import {
  AREA_CODE_FIELDS,
  ATTRIBUTE_FIELDS,
  type Asset,
  type AssetAttributes,
  type AssetSource,
  type AssetStatus,
} from '../domain/asset.js'
import type { Bbox } from '../domain/geo.js'
import type { KindCode, TargetGroupCode } from '../domain/kinds.js'
import type { DB, Executor } from '../db/database.js'
import { intersectsBbox, latOf, lonOf, pointFromLonLat } from '../db/postgis.js'

export interface AssetFilter {
  readonly bbox?: Bbox | undefined
  readonly kinds?: readonly KindCode[] | undefined
  readonly statuses?: readonly AssetStatus[] | undefined
  /** Case-insensitive text search in name, description, organisation and address. */
  readonly q?: string | undefined
  readonly gemeente?: string | undefined
}

/** Keyset position: the list is ordered by (name, id). */
export interface AssetCursor {
  readonly name: string
  readonly id: string
}

const COLUMNS = [
  'id',
  ...ATTRIBUTE_FIELDS,
  'source',
  ...AREA_CODE_FIELDS,
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'verified_at',
  'verified_by_role',
  'version',
  'deleted_at',
] as const

function selectAssets(db: Executor) {
  return db
    .selectFrom('assets')
    .select(COLUMNS)
    .select([lonOf('geom').as('lon'), latOf('geom').as('lat')])
}

type AssetRow = Awaited<ReturnType<ReturnType<typeof selectAssets>['executeTakeFirstOrThrow']>>

/** Timestamps as ISO text: the drivers give a Date, some paths (JSON) a string. */
export const toIso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString()

function toAsset(row: AssetRow): Asset {
  return {
    ...row,
    kind: row.kind as KindCode,
    target_groups: row.target_groups as TargetGroupCode[],
    wheelchair: row.wheelchair as Asset['wheelchair'],
    status: row.status as Asset['status'],
    location_precision: row.location_precision as Asset['location_precision'],
    source: row.source as AssetSource,
    lon: Number(row.lon),
    lat: Number(row.lat),
    verified_at: row.verified_at ? toIso(row.verified_at) : null,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    deleted_at: row.deleted_at ? toIso(row.deleted_at) : null,
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c)
}

/**
 * The filter of GET /api/assets as a condition on live rows of `assets`; the asset tiles
 * (repositories/tiles.ts) use the same one, so a tile shows what the list shows.
 */
export function assetFilter(eb: ExpressionBuilder<DB, 'assets'>, filter: AssetFilter) {
  const conditions = [eb('deleted_at', 'is', null)]
  if (filter.bbox) conditions.push(eb(intersectsBbox('geom', filter.bbox), '=', true))
  if (filter.kinds?.length) conditions.push(eb('kind', 'in', filter.kinds))
  if (filter.statuses?.length) conditions.push(eb('status', 'in', filter.statuses))
  if (filter.gemeente) conditions.push(eb('gemeente_code', '=', filter.gemeente))
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`
    conditions.push(
      eb.or([
        eb('name', 'ilike', pattern),
        eb('description', 'ilike', pattern),
        eb('organisation', 'ilike', pattern),
        eb('address', 'ilike', pattern),
      ]),
    )
  }
  return eb.and(conditions)
}

/** One asset, also when it is soft-deleted (check `deleted_at`). */
export async function findAsset(db: Executor, id: string): Promise<Asset | undefined> {
  const row = await selectAssets(db).where('id', '=', id).executeTakeFirst()
  return row && toAsset(row)
}

/**
 * One asset (live or deleted) with its row locked until the transaction ends (SELECT … FOR
 * UPDATE; call it inside one). A change that reads the current version and then writes the next
 * one takes this: another change of the same asset in flight is waited for and then seen, instead
 * of both reading the same version and the later one failing on a version it never asked for.
 */
export async function lockAsset(trx: Executor, id: string): Promise<Asset | undefined> {
  const row = await selectAssets(trx).where('id', '=', id).forUpdate().executeTakeFirst()
  return row && toAsset(row)
}

/** Live assets matching the filter, ordered by name then id, after the cursor. */
export async function listAssets(
  db: Executor,
  filter: AssetFilter,
  page: { limit: number; after?: AssetCursor | undefined },
): Promise<Asset[]> {
  let query = selectAssets(db).where((eb) => assetFilter(eb, filter))
  const after = page.after
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.name, after.id)))
  }
  const rows = await query.orderBy('name').orderBy('id').limit(page.limit).execute()
  return rows.map(toAsset)
}

export async function countAssets(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('assets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Assets (live or deleted) of one source with the given references. */
export async function findBySourceRefs(
  db: Executor,
  source: AssetSource,
  refs: readonly string[],
): Promise<Map<string, Asset>> {
  const found = new Map<string, Asset>()
  for (let i = 0; i < refs.length; i += 1000) {
    const chunk = refs.slice(i, i + 1000)
    const rows = await selectAssets(db)
      .where('source', '=', source)
      .where('source_ref', 'in', chunk)
      .execute()
    for (const row of rows) found.set(row.source_ref as string, toAsset(row))
  }
  return found
}

export interface NewAsset extends AssetAttributes {
  readonly id: string
  readonly lon: number
  readonly lat: number
  readonly source: AssetSource
}

function attributeValues(a: AssetAttributes) {
  return {
    name: a.name,
    kind: a.kind,
    is_meeting_place: a.is_meeting_place,
    address: a.address,
    description: a.description,
    organisation: a.organisation,
    contact_name: a.contact_name,
    contact_email: a.contact_email,
    contact_phone: a.contact_phone,
    target_groups: sql<string[]>`${a.target_groups}::text[]`,
    activities: sql<string[]>`${a.activities}::text[]`,
    opening_hours: a.opening_hours,
    wheelchair: a.wheelchair,
    free_entry: a.free_entry,
    capacity: a.capacity,
    status: a.status,
    location_precision: a.location_precision,
    source_ref: a.source_ref,
  }
}

/** Rows per multi-row statement: well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 500

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Inserts new assets (version 1), in multi-row statements. */
export async function insertAssets(
  db: Executor,
  assets: readonly NewAsset[],
  actor: string,
  at: Date,
): Promise<void> {
  for (const chunk of chunks(assets)) {
    await db
      .insertInto('assets')
      .values(
        chunk.map((asset) => ({
          id: asset.id,
          ...attributeValues(asset),
          geom: pointFromLonLat(asset.lon, asset.lat),
          source: asset.source,
          created_at: at,
          created_by: actor,
          updated_at: at,
          updated_by: actor,
          version: 1,
        })),
      )
      .execute()
  }
}

/** Assets (live or deleted) by id. */
export async function findAssets(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, Asset>> {
  const found = new Map<string, Asset>()
  for (const chunk of chunks(ids, 1000)) {
    const rows = await selectAssets(db).where('id', 'in', chunk).execute()
    for (const row of rows) found.set(row.id, toAsset(row))
  }
  return found
}

/**
 * Writes new attributes and position when the stored version is `expectedVersion`, and bumps the
 * version. Returns false when the version did not match (or the asset is gone).
 */
export async function updateAsset(
  db: Executor,
  id: string,
  expectedVersion: number,
  next: AssetAttributes & { lon: number; lat: number },
  actor: string,
  at: Date,
): Promise<boolean> {
  return writeVersion(db, id, expectedVersion, 'live', {
    ...attributeValues(next),
    geom: pointFromLonLat(next.lon, next.lat),
    updated_at: at,
    updated_by: actor,
  })
}

/**
 * The one way a stored asset changes: `values` plus the next version, only when the stored
 * version is `expectedVersion` (and the asset is live or deleted as `state` says). False when
 * it was not (someone else was first, or the asset is gone).
 */
async function writeVersion(
  db: Executor,
  id: string,
  expectedVersion: number,
  state: 'live' | 'deleted' | 'any',
  values: UpdateObject<DB, 'assets'>,
): Promise<boolean> {
  let query = db
    .updateTable('assets')
    .set({ ...values, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
  if (state !== 'any') query = query.where('deleted_at', state === 'live' ? 'is' : 'is not', null)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Writes a whole earlier state back (revert): attributes, position, the verification stamp and
 * the deleted mark, when the stored version is `expectedVersion`. Bumps the version.
 */
export async function writeState(
  db: Executor,
  id: string,
  expectedVersion: number,
  state: Asset,
  actor: string,
  at: Date,
): Promise<boolean> {
  return writeVersion(db, id, expectedVersion, 'any', {
    ...attributeValues(state),
    geom: pointFromLonLat(state.lon, state.lat),
    verified_at: state.verified_at,
    verified_by_role: state.verified_by_role ?? null,
    deleted_at: state.deleted_at ? at : null,
    deleted_by: state.deleted_at ? actor : null,
    updated_at: at,
    updated_by: actor,
  })
}

/** Stamps an asset as checked now by `role`; bumps the version. */
export async function stampVerified(
  db: Executor,
  id: string,
  expectedVersion: number,
  role: string,
  actor: string,
  at: Date,
): Promise<boolean> {
  return writeVersion(db, id, expectedVersion, 'live', {
    verified_at: at,
    verified_by_role: role,
    updated_at: at,
    updated_by: actor,
  })
}

/** Sets or clears the soft-delete mark when the version matches; bumps the version. */
export async function setDeleted(
  db: Executor,
  id: string,
  expectedVersion: number,
  deleted: boolean,
  actor: string,
  at: Date,
): Promise<boolean> {
  return writeVersion(db, id, expectedVersion, deleted ? 'live' : 'deleted', {
    deleted_at: deleted ? at : null,
    deleted_by: deleted ? actor : null,
    updated_at: at,
    updated_by: actor,
  })
}

/**
 * Derives gemeente, wijk, buurt and PC4 codes by spatial join with the areas table, for the
 * given assets or (without ids) for all of them. Where areas overlap, the lowest code wins.
 */
export async function assignAreaCodes(db: Executor, ids?: readonly string[]): Promise<void> {
  if (ids) {
    for (const chunk of chunks(ids, 1000)) await assignCodes(db, chunk)
  } else {
    await assignCodes(db, undefined)
  }
}

async function assignCodes(db: Executor, ids: readonly string[] | undefined): Promise<void> {
  const codeAt = (level: 'gemeente' | 'wijk' | 'buurt' | 'pc4') =>
    sql<string | null>`(select ar.code from areas ar
      where ar.level = ${level} and ST_Intersects(ar.geom, assets.geom)
      order by ar.code limit 1)`
  let query = db.updateTable('assets').set({
    gemeente_code: codeAt('gemeente'),
    wijk_code: codeAt('wijk'),
    buurt_code: codeAt('buurt'),
    pc4_code: codeAt('pc4'),
  })
  if (ids) query = query.where('id', 'in', ids)
  await query.execute()
}

/**
 * The nearest place in the register with a known address (exact or street precision, not
 * deleted) within `maxM` metres of a point, measured in RD New: how a proposed place is told
 * apart from its neighbours ("about 60 m from Agorabaan 12"). Undefined when none is that near.
 */
export async function nearestAddress(
  db: Executor,
  lon: number,
  lat: number,
  maxM: number,
): Promise<{ address: string; distanceM: number } | undefined> {
  const here = sql`ST_Transform(${pointFromLonLat(lon, lat)}, 28992)`
  const row = await db
    .selectFrom('assets')
    .select(['address', sql<number>`ST_Distance(ST_Transform(geom, 28992), ${here})`.as('d')])
    .where('deleted_at', 'is', null)
    .where('address', 'is not', null)
    .where('location_precision', 'in', ['exact', 'street'])
    .where(sql<boolean>`ST_DWithin(ST_Transform(geom, 28992), ${here}, ${maxM}::float8)`, '=', true)
    .orderBy('d')
    .limit(1)
    .executeTakeFirst()
  if (!row?.address) return undefined
  return { address: row.address, distanceM: Number(row.d) }
}
