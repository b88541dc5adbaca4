import { randomUUID } from 'node:crypto'
import type { Asset, AssetAttributes, AssetSchemas } from '../domain/asset.js'
import type { FieldError } from '../domain/errors.js'
import { roundLonLat } from '../domain/geo.js'
import { defaultMeetingPlace, KINDS, type KindCode } from '../domain/kinds.js'
import type { Tags } from '../domain/network/profiles.js'
import { mergeField, placeFromTags, OSM_FIELDS, type OsmField } from '../domain/osm-places.js'
import { zodToFieldErrors } from '../domain/validation.js'
import { findSyncSnapshots, storeSyncSnapshots } from '../repositories/osm-sync.js'
import {
  findBySourceRefs,
  insertAssets,
  updateAsset,
  type NewAsset,
} from '../repositories/assets.js'
import type { Executor } from '../db/database.js'
import { attributesFromInput } from './assets.js'
import type { Clock } from '../domain/clock.js'
import { recordImported } from './import.js'

/** A tagged OpenStreetMap object with the point that stands for it. */
export interface OsmCandidate {
  /** `node/123`, `way/456` or `relation/789`: the OpenStreetMap id, stable across imports. */
  readonly ref: string
  readonly tags: Tags
  readonly lon: number
  readonly lat: number
}

export interface OsmConflict {
  readonly ref: string
  readonly asset_id: string
  /** The field both changed; `version` when a person saved the place during the import. */
  readonly field: OsmField | 'version'
  /** What a person set in Buurtkaart (kept). */
  readonly buurtkaart: unknown
  /** What OpenStreetMap says now (not applied). */
  readonly osm: unknown
}

export interface PlaceSyncReport {
  readonly total: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Places a person deleted in Buurtkaart: left deleted. */
  readonly skipped_deleted: number
  readonly outside_region: number
  /** Objects tagged access=private or no: not a place of the neighbourhood. */
  readonly not_public: number
  readonly conflicts: readonly OsmConflict[]
  /** OpenStreetMap values the register cannot take (an unreadable opening_hours): left empty. */
  readonly dropped: readonly {
    ref: string
    field: string
    value: unknown
    errors: readonly FieldError[]
  }[]
  readonly invalid: readonly { ref: string; errors: readonly FieldError[] }[]
  /**
   * OpenStreetMap text with characters PostgreSQL cannot store (NUL, half a surrogate pair):
   * those were replaced (a space, U+FFFD) and the place kept; `value` is what was kept.
   */
  readonly cleaned: readonly { ref: string; field: string; value: unknown }[]
}

type Snapshot = Partial<Record<OsmField, unknown>>

const label = new Map<string, string>(KINDS.map((k) => [k.code, k.label.nl]))

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

function valueOf(a: AssetAttributes & { lon: number; lat: number }, field: OsmField): unknown {
  return field === 'position' ? roundLonLat([a.lon, a.lat]) : a[field]
}

/**
 * Brings OpenStreetMap places into the register, idempotent by OSM id (`source = 'osm'`,
 * `source_ref = node/123`). A re-import updates what changed in OpenStreetMap, but a field a
 * person edited in Buurtkaart since the last import is kept, and reported when OpenStreetMap
 * changed it too. `osm_sync` keeps what each import wrote: the base of that three-way merge.
 */
export async function syncOsmPlaces(
  db: Executor,
  deps: { clock: Clock; schemas: AssetSchemas },
  candidates: readonly OsmCandidate[],
  options: {
    dryRun: boolean
    actor: string
    outsideRegion: number
    onProgress?: (done: number, total: number) => void
  },
): Promise<PlaceSyncReport> {
  const invalid: PlaceSyncReport['invalid'][number][] = []
  const dropped: PlaceSyncReport['dropped'][number][] = []
  const cleaned: PlaceSyncReport['cleaned'][number][] = []
  let notPublic = 0
  const incoming: { ref: string; next: AssetAttributes & { lon: number; lat: number } }[] = []
  for (const c of candidates) {
    const place = placeFromTags(c.tags, (k) => label.get(k) ?? k)
    if (!place) {
      notPublic++
      continue
    }
    for (const field of place.cleaned) cleaned.push({ ref: c.ref, field, value: place[field] })
    const [lon, lat] = roundLonLat([c.lon, c.lat])
    const properties: Record<string, unknown> = {
      name: place.name,
      kind: place.kind,
      address: place.address,
      organisation: place.organisation,
      description: place.description,
      opening_hours: place.opening_hours,
      wheelchair: place.wheelchair,
      free_entry: place.free_entry,
      location_precision: 'exact',
      source_ref: c.ref,
    }
    const feature = () => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties,
    })
    let parsed = deps.schemas.create.safeParse(feature())
    if (!parsed.success) {
      // Drop the fields OpenStreetMap got wrong for us (keep the place), then try once more.
      for (const error of zodToFieldErrors(parsed.error, feature())) {
        const field = error.pointer.split('/')[2]
        if (field && field !== 'name' && field !== 'kind' && field in properties) {
          dropped.push({ ref: c.ref, field, value: properties[field], errors: [error] })
          properties[field] = null
        }
      }
      parsed = deps.schemas.create.safeParse(feature())
    }
    if (!parsed.success) {
      invalid.push({ ref: c.ref, errors: zodToFieldErrors(parsed.error, feature()) })
      continue
    }
    incoming.push({
      ref: c.ref,
      next: { ...attributesFromInput(parsed.data.properties), lon, lat },
    })
  }

  const refs = incoming.map((i) => i.ref)
  const existing = await findBySourceRefs(db, 'osm', refs)
  const snapshots = (await findSyncSnapshots(db, refs)) as Map<string, Snapshot>

  const at = deps.clock.now()
  const conflicts: OsmConflict[] = []
  const inserts: NewAsset[] = []
  const updates: { current: Asset; next: AssetAttributes & { lon: number; lat: number } }[] = []
  const sync: { assetId: string; ref: string; snapshot: Snapshot }[] = []
  let unchanged = 0
  let skippedDeleted = 0
  for (const { ref, next } of incoming) {
    const snapshot = Object.fromEntries(OSM_FIELDS.map((f) => [f, valueOf(next, f)])) as Snapshot
    const current = existing.get(ref)
    if (!current) {
      const id = randomUUID()
      inserts.push({ id, source: 'osm', ...next })
      sync.push({ assetId: id, ref, snapshot })
      continue
    }
    if (current.deleted_at) {
      skippedDeleted++
      continue
    }
    const base = snapshots.get(ref)
    const merged: AssetAttributes & { lon: number; lat: number } = { ...current }
    let changed = false
    for (const field of OSM_FIELDS) {
      const decision = mergeField(
        base?.[field],
        valueOf(current, field),
        valueOf(next, field),
        same,
      )
      if (decision.take === 'osm') {
        changed = true
        if (field === 'position') {
          const [lon, lat] = decision.value as [number, number]
          merged.lon = lon
          merged.lat = lat
        } else if (field === 'kind') {
          const kind = decision.value as KindCode
          if (current.is_meeting_place === defaultMeetingPlace(current.kind)) {
            merged.is_meeting_place = defaultMeetingPlace(kind)
          }
          merged.kind = kind
        } else {
          ;(merged as unknown as Record<string, unknown>)[field] = decision.value
        }
      } else if (decision.conflict) {
        conflicts.push({
          ref,
          asset_id: current.id,
          field,
          buurtkaart: valueOf(current, field),
          osm: valueOf(next, field),
        })
      }
    }
    sync.push({ assetId: current.id, ref, snapshot })
    if (changed) updates.push({ current, next: merged })
    else unchanged++
  }

  const report = (updated: number): PlaceSyncReport => ({
    total: candidates.length + options.outsideRegion,
    created: inserts.length,
    updated,
    unchanged,
    skipped_deleted: skippedDeleted,
    outside_region: options.outsideRegion,
    not_public: notPublic,
    conflicts,
    dropped,
    invalid,
    cleaned,
  })
  if (options.dryRun) return report(updates.length)

  const total = inserts.length + updates.length
  await insertAssets(db, inserts, options.actor, at)
  options.onProgress?.(inserts.length, total)
  const applied: typeof updates = []
  for (const u of updates) {
    // A person may have saved this place since it was read: keep theirs, report it, and leave
    // its snapshot so the next import compares against what it wrote before.
    if (await updateAsset(db, u.current.id, u.current.version, u.next, options.actor, at)) {
      applied.push(u)
    } else {
      conflicts.push({
        ref: u.current.source_ref ?? '',
        asset_id: u.current.id,
        field: 'version',
        buurtkaart: 'saved by a person during this import (kept)',
        osm: 'not applied; the next import compares again',
      })
      const skipped = sync.findIndex((s) => s.assetId === u.current.id)
      if (skipped >= 0) sync.splice(skipped, 1)
    }
  }
  await recordImported(
    db,
    inserts.map((a) => a.id),
    applied.map((u) => u.current),
    options.actor,
    at,
  )
  await storeSyncSnapshots(db, sync, at)
  options.onProgress?.(total, total)
  return report(applied.length)
}
