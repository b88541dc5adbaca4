import type { Clock } from '../domain/clock.js'
import { randomUUID } from 'node:crypto'
import {
  ASSET_LABEL,
  ATTRIBUTE_FIELDS,
  pickAttributes,
  type Asset,
  type AssetAttributes,
  type AssetCreateInput,
  type AssetPatchInput,
} from '../domain/asset.js'
import {
  conflict,
  gone as goneError,
  invalidInput,
  notFound,
  versionConflict,
} from '../domain/errors.js'
import { FIELD, PROBLEM } from '../domain/messages.js'
import { roundLonLat } from '../domain/geo.js'
import { defaultMeetingPlace } from '../domain/kinds.js'
import {
  assignAreaCodes,
  findAsset,
  findBySourceRefs,
  insertAssets,
  listAssets,
  lockAsset,
  setDeleted,
  stampVerified,
  updateAsset,
  writeState,
  type AssetCursor,
  type AssetFilter,
} from '../repositories/assets.js'
import type { Executor } from '../db/database.js'
import {
  appendHistory,
  findHistoryEntry,
  listHistory,
  recentHistory,
  type HistoryEntry,
} from '../repositories/history.js'

/** Runs `fn` in a new transaction, or in the caller's when `db` already is one. */
function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn)
}

/** Where a change came from, for the history: an approved proposal, a note. */
export interface ChangeMeta {
  readonly proposalId?: string | null
  readonly note?: string | null
}

export interface AssetServiceDeps {
  readonly db: Executor
  readonly clock: Clock
}

/** The attributes of a new asset: input plus the defaults a person would expect. */
export function attributesFromInput(p: AssetCreateInput['properties']): AssetAttributes {
  return {
    name: p.name,
    kind: p.kind,
    is_meeting_place: p.is_meeting_place ?? defaultMeetingPlace(p.kind),
    address: p.address ?? null,
    description: p.description ?? null,
    organisation: p.organisation ?? null,
    contact_name: p.contact_name ?? null,
    contact_email: p.contact_email ?? null,
    contact_phone: p.contact_phone ?? null,
    target_groups: p.target_groups ?? [],
    activities: p.activities ?? [],
    opening_hours: p.opening_hours ?? null,
    wheelchair: p.wheelchair ?? 'unknown',
    free_entry: p.free_entry ?? null,
    capacity: p.capacity ?? null,
    status: p.status ?? 'active',
    location_precision: p.location_precision ?? 'exact',
    source_ref: p.source_ref ?? null,
  }
}

/**
 * Applies a patch. A kind change carries `is_meeting_place` along unless it was overridden. Only
 * attributes are taken: a proposal stored before the verification stamp became read-only may
 * still carry `verified_at`.
 */
export function applyPatch(current: Asset, patch: AssetPatchInput['properties']): AssetAttributes {
  const base = pickAttributes(current)
  const p = patch ?? {}
  const next: AssetAttributes = { ...base }
  for (const key of ATTRIBUTE_FIELDS) {
    const value = (p as Partial<Record<string, unknown>>)[key]
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value
  }
  if (p.kind && p.kind !== current.kind && p.is_meeting_place === undefined) {
    const followsDefault = current.is_meeting_place === defaultMeetingPlace(current.kind)
    if (followsDefault) next.is_meeting_place = defaultMeetingPlace(p.kind)
  }
  return next
}

/** True when two attribute sets and positions are the same (positions compared at 1e-7°). */
export function sameContent(
  a: AssetAttributes & { lon: number; lat: number },
  b: AssetAttributes & { lon: number; lat: number },
): boolean {
  const pa = roundLonLat([a.lon, a.lat])
  const pb = roundLonLat([b.lon, b.lat])
  if (pa[0] !== pb[0] || pa[1] !== pb[1]) return false
  return JSON.stringify(pickAttributes(a)) === JSON.stringify(pickAttributes(b))
}

const gone = (id: string) => goneError(PROBLEM.assetDeleted(id))

/** 412: the asset changed since the version the client edited; carries the current asset. */
export { versionConflict }

/** Refuses a source reference that another asset of the same source already has. */
async function requireFreeRef(db: Executor, ref: string | null, self?: string): Promise<void> {
  if (ref === null) return
  const other = (await findBySourceRefs(db, 'user', [ref])).get(ref)
  if (!other || other.id === self) return
  throw conflict(PROBLEM.sourceRefTaken(ref), {
    fields: [
      {
        pointer: '/properties/source_ref',
        code: 'duplicate',
        message: FIELD.sourceRefUsedBy(other.id),
      },
    ],
  })
}

/**
 * Reads an asset that must exist and be live; throws the matching domain error otherwise. A
 * change passes `lock` (inside its transaction) so that changes of one asset take turns.
 */
async function requireLive(db: Executor, id: string, lock = false): Promise<Asset> {
  const asset = await (lock ? lockAsset(db, id) : findAsset(db, id))
  if (!asset) throw notFound(ASSET_LABEL, id)
  if (asset.deleted_at) throw gone(id)
  return asset
}

export function createAssetService({ db, clock }: AssetServiceDeps) {
  return {
    db,

    list(filter: AssetFilter, page: { limit: number; after?: AssetCursor | undefined }) {
      return listAssets(db, filter, page)
    },

    get(id: string): Promise<Asset> {
      return requireLive(db, id)
    },

    async create(input: AssetCreateInput, actor: string, meta: ChangeMeta = {}): Promise<Asset> {
      const [lon, lat] = roundLonLat([input.geometry.coordinates[0], input.geometry.coordinates[1]])
      const id = randomUUID()
      const at = clock.now()
      return inTransaction(db, async (trx) => {
        await requireFreeRef(trx, input.properties.source_ref ?? null)
        await insertAssets(
          trx,
          [{ id, lon, lat, source: 'user', ...attributesFromInput(input.properties) }],
          actor,
          at,
        )
        await assignAreaCodes(trx, [id])
        const created = (await findAsset(trx, id)) as Asset
        await appendHistory(trx, {
          assetId: id,
          version: 1,
          action: 'create',
          actor,
          at,
          before: null,
          after: created,
          ...meta,
        })
        return created
      })
    },

    /**
     * Changes an asset when `expectedVersion` is its current version (optimistic locking);
     * a stale version fails with `version_conflict` carrying the current asset.
     */
    async update(
      id: string,
      expectedVersion: number | '*',
      patch: AssetPatchInput,
      actor: string,
      meta: ChangeMeta = {},
    ): Promise<Asset> {
      return inTransaction(db, async (trx) => {
        const current = await requireLive(trx, id, true)
        const expected = expectedVersion === '*' ? current.version : expectedVersion
        if (current.version !== expected) throw versionConflict(current, expected)
        const position = patch.geometry
          ? roundLonLat([patch.geometry.coordinates[0], patch.geometry.coordinates[1]])
          : ([current.lon, current.lat] as const)
        const next = {
          ...applyPatch(current, patch.properties),
          lon: position[0],
          lat: position[1],
        }
        if (sameContent(current, next)) return current
        if (current.source === 'user') await requireFreeRef(trx, next.source_ref, id)
        const at = clock.now()
        if (!(await updateAsset(trx, id, expected, next, actor, at))) {
          throw versionConflict((await findAsset(trx, id)) as Asset, expected)
        }
        if (patch.geometry) await assignAreaCodes(trx, [id])
        const updated = (await findAsset(trx, id)) as Asset
        await appendHistory(trx, {
          assetId: id,
          version: updated.version,
          action: 'update',
          actor,
          at,
          before: current,
          after: updated,
          ...meta,
        })
        return updated
      })
    },

    /** Soft-deletes an asset; it stays in the history and can be restored. */
    async remove(
      id: string,
      expectedVersion: number | '*' | undefined,
      actor: string,
      meta: ChangeMeta = {},
    ): Promise<Asset> {
      return inTransaction(db, async (trx) => {
        const current = await requireLive(trx, id, true)
        const expected =
          expectedVersion === undefined || expectedVersion === '*'
            ? current.version
            : expectedVersion
        if (current.version !== expected) throw versionConflict(current, expected)
        const at = clock.now()
        if (!(await setDeleted(trx, id, expected, true, actor, at))) {
          throw versionConflict((await findAsset(trx, id)) as Asset, expected)
        }
        const deleted = (await findAsset(trx, id)) as Asset
        await appendHistory(trx, {
          assetId: id,
          version: deleted.version,
          action: 'delete',
          actor,
          at,
          before: current,
          after: deleted,
          ...meta,
        })
        return deleted
      })
    },

    async restore(id: string, actor: string): Promise<Asset> {
      return inTransaction(db, async (trx) => {
        const current = await lockAsset(trx, id)
        if (!current) throw notFound(ASSET_LABEL, id)
        if (!current.deleted_at) {
          throw conflict(PROBLEM.assetNotDeleted(id))
        }
        const at = clock.now()
        if (!(await setDeleted(trx, id, current.version, false, actor, at))) {
          throw versionConflict((await findAsset(trx, id)) as Asset, current.version)
        }
        const restored = (await findAsset(trx, id)) as Asset
        await appendHistory(trx, {
          assetId: id,
          version: restored.version,
          action: 'restore',
          actor,
          at,
          before: current,
          after: restored,
        })
        return restored
      })
    },

    /** Marks a live asset as checked today by someone of `role`. */
    async verify(id: string, role: string, actor: string): Promise<Asset> {
      return inTransaction(db, async (trx) => {
        const current = await requireLive(trx, id, true)
        const at = clock.now()
        if (!(await stampVerified(trx, id, current.version, role, actor, at))) {
          throw versionConflict((await findAsset(trx, id)) as Asset, current.version)
        }
        const verified = (await findAsset(trx, id)) as Asset
        await appendHistory(trx, {
          assetId: id,
          version: verified.version,
          action: 'update',
          actor,
          at,
          before: current,
          after: verified,
          note: 'verified',
        })
        return verified
      })
    },

    /**
     * Puts an asset back to how it was after `version` (live or deleted, as it was then). The
     * revert is a new version; nothing in between is lost from the history.
     */
    async revert(id: string, version: number, actor: string, note?: string): Promise<Asset> {
      return inTransaction(db, async (trx) => {
        const current = await lockAsset(trx, id)
        if (!current) throw notFound(ASSET_LABEL, id)
        const target = await findHistoryEntry(trx, id, version)
        if (!target?.after || version >= current.version) {
          throw invalidInput(PROBLEM.unknownVersion(id, version, current.version), {
            fields: [
              {
                pointer: '/version',
                code: 'unknown_version',
                message: FIELD.chooseVersion(current.version - 1),
              },
            ],
          })
        }
        const at = clock.now()
        if (!(await writeState(trx, id, current.version, target.after, actor, at))) {
          throw versionConflict((await findAsset(trx, id)) as Asset, current.version)
        }
        if (current.lon !== target.after.lon || current.lat !== target.after.lat) {
          await assignAreaCodes(trx, [id])
        }
        const reverted = (await findAsset(trx, id)) as Asset
        await appendHistory(trx, {
          assetId: id,
          version: reverted.version,
          action: 'revert',
          actor,
          at,
          before: current,
          after: reverted,
          note: note ?? `reverted to version ${version}`,
        })
        return reverted
      })
    },

    /** The history of a live or deleted asset. */
    async history(id: string): Promise<HistoryEntry[]> {
      const asset = await findAsset(db, id)
      if (!asset) throw notFound(ASSET_LABEL, id)
      return listHistory(db, id)
    },

    /** Recent changes to all places, newest first, paged by entry id; `actor` narrows to one. */
    changes(options: Parameters<typeof recentHistory>[1]) {
      return recentHistory(db, options)
    },
  }
}

export type AssetService = ReturnType<typeof createAssetService>
