import OpeningHours from 'opening_hours'
import { z } from 'zod'
import { FIELD, LABEL, type Bilingual } from './messages.js'
import { bboxContains, type Bbox } from './geo.js'
import { KIND_CODES, TARGET_GROUP_CODES, type KindCode, type TargetGroupCode } from './kinds.js'
import { unstorableText } from './text.js'
import { OPENING_HOURS_CONTEXT, readOpeningHours } from './opening-hours.js'

export const WHEELCHAIR = ['yes', 'limited', 'no', 'unknown'] as const
export const STATUSES = ['active', 'planned', 'closed'] as const
export const PRECISIONS = ['exact', 'street', 'district', 'town'] as const
export const SOURCES = ['user', 'osm', 'cbs', 'import', 'seed'] as const

export type Wheelchair = (typeof WHEELCHAIR)[number]
export type AssetStatus = (typeof STATUSES)[number]
export type LocationPrecision = (typeof PRECISIONS)[number]
export type AssetSource = (typeof SOURCES)[number]

/** The attributes a person (or an import) sets on an asset. Snake case, as on the wire. */
export interface AssetAttributes {
  name: string
  kind: KindCode
  is_meeting_place: boolean
  address: string | null
  description: string | null
  organisation: string | null
  /** Contact details: personal data (AVG), only shown to signed-in users. */
  contact_name: string | null
  contact_email: string | null
  contact_phone: string | null
  target_groups: TargetGroupCode[]
  activities: string[]
  opening_hours: string | null
  wheelchair: Wheelchair
  free_entry: boolean | null
  capacity: number | null
  status: AssetStatus
  location_precision: LocationPrecision
  source_ref: string | null
}

/** The attribute names, in the order exports list them. */
export const ATTRIBUTE_FIELDS = [
  'name',
  'kind',
  'is_meeting_place',
  'address',
  'description',
  'organisation',
  'contact_name',
  'contact_email',
  'contact_phone',
  'target_groups',
  'activities',
  'opening_hours',
  'wheelchair',
  'free_entry',
  'capacity',
  'status',
  'location_precision',
  'source_ref',
] as const satisfies readonly (keyof AssetAttributes)[]

/** Personal data: left out of public responses, public exports and the public history. */
export const CONTACT_FIELDS = ['contact_name', 'contact_email', 'contact_phone'] as const

/** Codes of the CBS areas an asset lies in, derived by spatial join, never typed. */
export const AREA_CODE_FIELDS = ['gemeente_code', 'wijk_code', 'buurt_code', 'pc4_code'] as const

/** Just the attributes of an asset (or of anything that has them). */
export function pickAttributes(a: AssetAttributes): AssetAttributes {
  const out: Partial<Record<keyof AssetAttributes, unknown>> = {}
  for (const field of ATTRIBUTE_FIELDS) out[field] = a[field]
  return out as AssetAttributes
}

/** An asset as the register holds it. Position in EPSG:4326 degrees. */
export interface Asset extends AssetAttributes {
  id: string
  lon: number
  lat: number
  source: AssetSource
  gemeente_code: string | null
  wijk_code: string | null
  buurt_code: string | null
  pc4_code: string | null
  /**
   * When someone last marked the asset as checked, and their role: stamped by
   * `POST /api/assets/{id}/verify` alone (and put back by a revert), never set from input.
   */
  verified_at: string | null
  verified_by_role: string | null
  version: number
  created_at: string
  created_by: string
  updated_at: string
  updated_by: string
  deleted_at: string | null
}

/** Parameters that attach a bilingual message and a stable code to a custom Zod issue. */
export interface IssueParams {
  code: string
  nl: string
}

/** A custom Zod issue's English message and its code and Dutch text (see `validation.ts`). */
const issue = (code: string, message: Bilingual) => ({
  message: message.en,
  params: { code, nl: message.nl } satisfies IssueParams,
})

/** Returns why an OSM `opening_hours` value is invalid, or undefined when it parses. */
export function openingHoursError(value: string): string | undefined {
  try {
    new OpeningHours(value, OPENING_HOURS_CONTEXT)
    return undefined
  } catch (e) {
    return String(e).replace(/\s+/g, ' ').trim()
  }
}

/** C0 control characters other than tab, newline and carriage return; PostgreSQL refuses NUL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/**
 * A trimmed string of at most `max` characters without control characters, and without text
 * PostgreSQL cannot store (a lone surrogate, from JSON escapes in an imported file or an
 * OpenStreetMap tag, would make the history's jsonb refuse the whole write).
 */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !CONTROL_CHARACTERS.test(v), {
      ...issue('control_character', FIELD.controlCharacter),
    })
    .superRefine((v, ctx) => {
      const why = CONTROL_CHARACTERS.test(v) ? undefined : unstorableText(v)
      if (why) {
        ctx.addIssue({
          code: 'custom',
          ...issue(why.code, why.message),
        })
      }
    })

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9 ()-]{6,40}$/

/**
 * A stored field no input may set: the verification stamp is made by POST /api/assets/{id}/verify
 * alone, so a trusted editor cannot declare a place checked until 2099. Named in the schema, so
 * that a request carrying it is refused at its own pointer.
 */
const setByVerify = z
  .unknown()
  .superRefine((_, ctx) => {
    ctx.addIssue({
      code: 'custom',
      ...issue('read_only', FIELD.setByVerify),
    })
  })
  .optional()
  .meta({ description: 'Read-only: set by POST /api/assets/{id}/verify; refused here (422).' })

const optionalText = (max: number) =>
  text(max)
    .nullable()
    .transform((v) => (v === '' ? null : v))

/**
 * The Zod schemas that validate asset input, for one configured region. The HTTP API, the
 * importer and the OpenAPI document all use these.
 */
export function assetSchemas(region: { bbox: Bbox; name: string }) {
  const position = z
    .tuple([z.number(), z.number()], z.number())
    .superRefine((pos, ctx) => {
      const [lon, lat] = pos
      if (pos.length > 3) {
        ctx.addIssue({
          code: 'custom',
          ...issue('invalid_position', FIELD.positionNumbers),
        })
        return
      }
      if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
        ctx.addIssue({
          code: 'custom',
          path: [0],
          ...issue('out_of_range', FIELD.longitudeRange),
        })
        return
      }
      if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
        ctx.addIssue({
          code: 'custom',
          path: [1],
          ...issue('out_of_range', FIELD.latitudeRange),
        })
        return
      }
      if (!bboxContains(region.bbox, [lon, lat])) {
        const box = region.bbox.join(', ')
        ctx.addIssue({
          code: 'custom',
          ...issue('outside_region', FIELD.outsideRegion(lon, lat, region.name, box)),
        })
      }
    })
    .meta({ description: '[longitude, latitude] in degrees, WGS84', example: [5.4714, 52.5185] })

  const point = z
    .strictObject({ type: z.literal('Point'), coordinates: position })
    .meta({ id: 'Point', description: 'GeoJSON Point (RFC 7946), WGS84 longitude/latitude' })

  const openingHours = text(500)
    .nullable()
    .transform((v, ctx) => {
      if (v === null || v === '') return null
      const read = readOpeningHours(v)
      if (read.ok) return read.value
      ctx.addIssue({ code: 'custom', ...issue('invalid_opening_hours', read.message) })
      return z.NEVER
    })
    .meta({
      description:
        'OpenStreetMap opening_hours syntax, or common Dutch notation ("di-do 10-16 uur", ' +
        '"ma t/m vr 9:00-17:00"), which is stored converted to OSM syntax ("Tu-Th 10:00-16:00")',
      example: 'Mo-Fr 09:00-17:00',
    })

  const fields = {
    name: text(200).pipe(z.string().min(1)).meta({ example: 'Buurthuis De Schoor' }),
    kind: z.enum(KIND_CODES),
    is_meeting_place: z.boolean(),
    address: optionalText(300),
    description: optionalText(5000),
    organisation: optionalText(200),
    contact_name: optionalText(200),
    contact_email: optionalText(254).refine(
      (v) => v === null || EMAIL.test(v),
      issue('invalid_email', FIELD.email),
    ),
    contact_phone: optionalText(40).refine(
      (v) => v === null || PHONE.test(v),
      issue('invalid_phone', FIELD.phone),
    ),
    target_groups: z
      .array(z.enum(TARGET_GROUP_CODES))
      .max(TARGET_GROUP_CODES.length)
      .transform((v) => [...new Set(v)]),
    activities: z.array(text(80).pipe(z.string().min(1))).max(30),
    opening_hours: openingHours,
    wheelchair: z.enum(WHEELCHAIR),
    free_entry: z.boolean().nullable(),
    capacity: z.number().int().min(0).max(100_000).nullable(),
    status: z.enum(STATUSES),
    location_precision: z.enum(PRECISIONS),
    source_ref: optionalText(200),
  }
  const verification = { verified_at: setByVerify, verified_by_role: setByVerify }

  const createProperties = z
    .strictObject({
      ...fields,
      is_meeting_place: fields.is_meeting_place.optional(),
      address: fields.address.optional(),
      description: fields.description.optional(),
      organisation: fields.organisation.optional(),
      contact_name: fields.contact_name.optional(),
      contact_email: fields.contact_email.optional(),
      contact_phone: fields.contact_phone.optional(),
      target_groups: fields.target_groups.optional(),
      activities: fields.activities.optional(),
      opening_hours: fields.opening_hours.optional(),
      wheelchair: fields.wheelchair.optional(),
      free_entry: fields.free_entry.optional(),
      capacity: fields.capacity.optional(),
      status: fields.status.optional(),
      location_precision: fields.location_precision.optional(),
      source_ref: fields.source_ref.optional(),
      ...verification,
    })
    .meta({ id: 'AssetCreateProperties' })

  const patchProperties = z
    .strictObject({ ...fields, ...verification })
    .partial()
    .meta({ id: 'AssetPatchProperties', description: 'Only the fields to change; null clears.' })

  const create = z
    .strictObject({
      type: z.literal('Feature').optional(),
      geometry: point,
      properties: createProperties,
    })
    .meta({ id: 'AssetCreate' })

  const patch = z
    .strictObject({
      type: z.literal('Feature').optional(),
      geometry: point.optional(),
      properties: patchProperties.optional(),
    })
    .meta({ id: 'AssetPatch' })

  return { point, createProperties, patchProperties, create, patch }
}

export type AssetSchemas = ReturnType<typeof assetSchemas>
export type AssetCreateInput = z.output<AssetSchemas['create']>
export type AssetPatchInput = z.output<AssetSchemas['patch']>

export const ASSET_LABEL: Bilingual = LABEL.asset
