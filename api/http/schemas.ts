import { z } from 'zod'
import {
  CONTACT_FIELDS,
  PRECISIONS,
  SOURCES,
  STATUSES,
  WHEELCHAIR,
  type Asset,
} from '../domain/asset.js'
import { KIND_CODES, TARGET_GROUP_CODES } from '../domain/kinds.js'

/** Response shapes for the OpenAPI document; request shapes come from `domain/asset.ts`. */

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string(),
    messages: z.object({
      title: z.object({ nl: z.string(), en: z.string() }),
      detail: z.object({ nl: z.string(), en: z.string() }),
    }),
    errors: z
      .array(
        z.object({
          pointer: z.string(),
          in: z.enum(['body', 'query', 'path', 'header']),
          code: z.string(),
          detail: z.string(),
          messages: z.object({ nl: z.string(), en: z.string() }),
        }),
      )
      .optional(),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem details, in Dutch or English; some problems add members (retry_after, reason, current)',
  })

/** Response headers for GeoJSON bodies (RFC 7946 media type). */
export const GEOJSON = { 'content-type': 'application/geo+json; charset=utf-8' } as const

export const problemContent = {
  'application/problem+json': { schema: problemSchema },
} as const

export const assetPropertiesSchema = z
  .object({
    name: z.string(),
    kind: z.enum(KIND_CODES),
    is_meeting_place: z.boolean(),
    address: z.string().nullable(),
    description: z.string().nullable(),
    organisation: z.string().nullable(),
    contact_name: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Signed-in users only (AVG)' }),
    contact_email: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Signed-in users only (AVG)' }),
    contact_phone: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Signed-in users only (AVG)' }),
    target_groups: z.array(z.enum(TARGET_GROUP_CODES)),
    activities: z.array(z.string()),
    opening_hours: z.string().nullable(),
    wheelchair: z.enum(WHEELCHAIR),
    free_entry: z.boolean().nullable(),
    capacity: z.number().int().nullable(),
    status: z.enum(STATUSES),
    location_precision: z.enum(PRECISIONS),
    source: z.enum(SOURCES),
    source_ref: z.string().nullable(),
    gemeente_code: z.string().nullable().meta({ description: 'Derived by spatial join' }),
    wijk_code: z.string().nullable(),
    buurt_code: z.string().nullable(),
    pc4_code: z.string().nullable(),
    verified_at: z.string().nullable(),
    verified_by_role: z.string().nullable(),
    possibly_outdated: z.boolean().meta({
      description:
        'Not checked (verified_at, else created_at) within the verification_max_age_days setting',
    }),
    version: z.number().int(),
    created_at: z.string(),
    created_by: z.string(),
    updated_at: z.string(),
    updated_by: z.string(),
    deleted_at: z.string().nullable(),
  })
  .meta({ id: 'AssetProperties' })

export const assetFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.uuid(),
    geometry: z.object({
      type: z.literal('Point'),
      coordinates: z.tuple([z.number(), z.number()]),
    }),
    properties: assetPropertiesSchema,
  })
  .meta({ id: 'AssetFeature' })

export const assetCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(assetFeatureSchema),
    numberReturned: z.number().int(),
    next_cursor: z.string().nullable(),
    links: z.array(z.object({ rel: z.string(), href: z.string(), type: z.string() })),
  })
  .meta({ id: 'AssetCollection' })

/**
 * What one reader may see of an asset: contact details only when signed in (AVG), and when a
 * place counts as possibly outdated (not checked since this moment).
 */
export interface FeatureView {
  readonly contacts: boolean
  readonly outdatedBefore: Date
}

/** True when an asset was not checked (verified, else created) since `before`. */
export function isOutdated(asset: Asset, before: Date): boolean {
  const checked = asset.verified_at ?? asset.created_at
  return new Date(checked).getTime() < before.getTime()
}

/** Removes the contact fields when the reader may not see them. */
export function redact<T extends object>(asset: T, view: Pick<FeatureView, 'contacts'>): T {
  if (view.contacts) return asset
  const copy: Record<string, unknown> = { ...(asset as Record<string, unknown>) }
  for (const field of CONTACT_FIELDS) delete copy[field]
  // Which account edited a place is for signed-in users too.
  for (const field of ['created_by', 'updated_by', 'deleted_by']) {
    const v = copy[field]
    if (typeof v === 'string' && v.startsWith('user:')) copy[field] = 'user'
  }
  return copy as T
}

/** An asset as a GeoJSON Feature (RFC 7946), as `view`'s reader may see it. */
export function toFeature(asset: Asset, view: FeatureView) {
  const { id, lon, lat, ...properties } = redact(asset, view)
  return {
    type: 'Feature' as const,
    id,
    geometry: { type: 'Point' as const, coordinates: [lon, lat] as [number, number] },
    properties: { ...properties, possibly_outdated: isOutdated(asset, view.outdatedBefore) },
  }
}
