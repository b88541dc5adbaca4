import type { AssetFeature, Taxonomy } from '../api-client/index.js'
import { formatDate } from '../i18n/format.js'
import { pickLabel, t } from '../i18n/index.js'
import { roleText } from './account.js'

/** The fields a person can see change, by their API names, with their label. */
const LABELS: Record<string, Parameters<typeof t>[0]> = {
  name: 'fieldName',
  kind: 'fieldKind',
  is_meeting_place: 'fieldMeetingPlace',
  status: 'fieldStatus',
  address: 'fieldAddress',
  description: 'fieldDescription',
  organisation: 'fieldOrganisation',
  contact_name: 'fieldContactName',
  contact_email: 'fieldContactEmail',
  contact_phone: 'fieldContactPhone',
  target_groups: 'fieldTargetGroups',
  activities: 'fieldActivities',
  opening_hours: 'fieldOpeningHours',
  wheelchair: 'fieldWheelchair',
  free_entry: 'fieldFreeEntry',
  capacity: 'fieldCapacity',
  location_precision: 'fieldLocationPrecision',
  source: 'fieldSource',
  source_ref: 'fieldSourceRef',
  verified_at: 'fieldVerified',
  verified_by_role: 'fieldVerifiedBy',
}

/** Bookkeeping the API keeps by itself: never "a change" a person made. */
const BOOKKEEPING = new Set([
  'id',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'deleted_at',
  'deleted_by',
  'gemeente_code',
  'wijk_code',
  'buurt_code',
  'pc4_code',
  'possibly_outdated',
])

/** The position, in the lists of changed fields. */
export const POSITION = 'position'

export const fieldLabel = (field: string) =>
  field === POSITION ? t('position') : LABELS[field] ? t(LABELS[field]) : field

/** Empty text and empty lists count as no value: a new place's `[]` is not a change. */
const bare = (v: unknown) => (v === '' || (Array.isArray(v) && v.length === 0) ? null : (v ?? null))
const same = (a: unknown, b: unknown) => JSON.stringify(bare(a)) === JSON.stringify(bare(b))

type Place = Pick<AssetFeature, 'geometry' | 'properties'>

/** The fields that differ between two versions of a place (the position as `position`). */
export function changedFields(before: Place | null | undefined, after: Place | null | undefined) {
  const a: Record<string, unknown> = before?.properties ?? {}
  const b: Record<string, unknown> = after?.properties ?? {}
  const fields = [...new Set([...Object.keys(LABELS), ...Object.keys(a), ...Object.keys(b)])]
    .filter((f) => !BOOKKEEPING.has(f))
    .filter((f) => !same(a[f], b[f]))
  if (!same(before?.geometry?.coordinates, after?.geometry?.coordinates)) fields.push(POSITION)
  return fields
}

/** A field's value in words: labels from the taxonomy, ja/nee, dates, lists. */
export function showValue(
  field: string,
  place: Place | null | undefined,
  taxonomy: Taxonomy | undefined,
): string {
  if (!place) return '–'
  if (field === POSITION) {
    const [lon, lat] = place.geometry.coordinates
    return `${lat.toFixed(5)}, ${lon.toFixed(5)}`
  }
  const v = place.properties[field]
  if (v === null || v === undefined || v === '') return '–'
  const lists: Record<string, { code: string; label: { nl: string; en: string } }[] | undefined> = {
    kind: taxonomy?.kinds,
    status: taxonomy?.status,
    wheelchair: taxonomy?.wheelchair,
    location_precision: taxonomy?.location_precision,
    target_groups: taxonomy?.target_groups,
  }
  const label = (code: unknown) => {
    const found = lists[field]?.find((x) => x.code === code)
    return found ? pickLabel(found.label) : String(code)
  }
  if (Array.isArray(v)) return v.length ? v.map(label).join(', ') : '–'
  if (typeof v === 'boolean') return v ? t('yes') : t('no')
  if (field === 'verified_at' && typeof v === 'string') return formatDate(v)
  if (field === 'verified_by_role' && typeof v === 'string') return roleText(v)
  if (typeof v === 'object') return JSON.stringify(v)
  return label(v)
}
