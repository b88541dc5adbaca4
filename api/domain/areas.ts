import type { FieldError } from './errors.js'
import { FIELD, type Bilingual } from './messages.js'
import { unstorableText } from './text.js'
import { toPointer } from './validation.js'

export const AREA_LEVELS = ['gemeente', 'wijk', 'buurt', 'pc4'] as const
export type AreaLevel = (typeof AREA_LEVELS)[number]

/** An area ready to store: geometry is a GeoJSON Polygon or MultiPolygon in EPSG:4326. */
export interface AreaInput {
  readonly code: string
  readonly level: AreaLevel
  readonly name: string
  readonly gemeente_code: string | null
  readonly parent_code: string | null
  readonly inhabitants: number | null
  readonly inhabitants_year: number | null
  readonly source: string
  readonly geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
}

export interface Area extends Omit<AreaInput, 'geometry'> {
  readonly imported_at: string
}

/** Which properties hold the code, name and inhabitants. Matched case-insensitively, in order. */
export interface AreaFieldNames {
  readonly code: readonly string[]
  readonly name: readonly string[]
  readonly inhabitants: readonly string[]
  readonly gemeente: readonly string[]
}

/**
 * Defaults that cover the CBS Wijk- en Buurtkaart (old and new spellings), PDOK's OGC API
 * Features, CBS PC4 files and the extracts in shared/data.
 */
export const DEFAULT_AREA_FIELDS: AreaFieldNames = {
  // Finest level first: a buurt or PC4 feature also carries its gemeente's code.
  code: [
    'code',
    'statcode',
    'buurtcode',
    'bu_code',
    'postcode',
    'pc4',
    'wijkcode',
    'wk_code',
    'gemeentecode',
    'gm_code',
  ],
  name: [
    'name',
    'naam',
    'statnaam',
    'buurtnaam',
    'wijknaam',
    'gemeentenaam',
    'bu_naam',
    'wk_naam',
    'gm_naam',
  ],
  inhabitants: [
    'population',
    'aantal_inwoners',
    'aantalinwoners',
    'aant_inw',
    'inwoners',
    'bevolking',
  ],
  gemeente: ['gm_code', 'gemeentecode'],
}

/** The level a CBS code belongs to: GM…, WK…, BU…, or a four-digit postcode. */
export function levelOfCode(code: string): AreaLevel | undefined {
  if (/^GM\d{4}$/.test(code)) return 'gemeente'
  if (/^WK\d{6}$/.test(code)) return 'wijk'
  if (/^BU\d{8}$/.test(code)) return 'buurt'
  if (/^\d{4}$/.test(code)) return 'pc4'
  return undefined
}

/** Gemeente and parent codes implied by a CBS code (a PC4 area has neither in its code). */
export function parentsOfCode(code: string, level: AreaLevel) {
  switch (level) {
    case 'gemeente':
      return { gemeente_code: code, parent_code: null }
    case 'wijk':
      return { gemeente_code: `GM${code.slice(2, 6)}`, parent_code: `GM${code.slice(2, 6)}` }
    case 'buurt':
      return { gemeente_code: `GM${code.slice(2, 6)}`, parent_code: `WK${code.slice(2, 8)}` }
    case 'pc4':
      return { gemeente_code: null, parent_code: null }
  }
}

function pick(
  props: Record<string, unknown>,
  names: readonly string[],
): [string, unknown] | undefined {
  const lower = new Map(Object.entries(props).map(([k, v]) => [k.toLowerCase(), [k, v] as const]))
  for (const name of names) {
    const hit = lower.get(name.toLowerCase())
    if (hit && hit[1] !== null && hit[1] !== undefined && hit[1] !== '') return [hit[0], hit[1]]
  }
  return undefined
}

export interface AreaRowError {
  readonly index: number
  readonly code: string | null
  readonly errors: readonly FieldError[]
}

export interface NormalisedAreas {
  readonly areas: AreaInput[]
  readonly errors: AreaRowError[]
  /** Facts worth telling the person importing, e.g. CBS "secret" inhabitant values. */
  readonly notes: string[]
}

function fieldError(pointer: string, code: string, message: Bilingual): FieldError {
  return { pointer, code, message }
}

/**
 * Maps a GeoJSON FeatureCollection of CBS areas to area inputs. Negative inhabitant counts are
 * CBS codes for "secret" or "unknown" (e.g. -99999999) and become null. Pure: no I/O.
 */
export function normaliseAreas(
  collection: unknown,
  options: {
    fields?: Partial<AreaFieldNames>
    level?: AreaLevel | undefined
    year: number | null
    source: string
  },
): NormalisedAreas {
  const fields = { ...DEFAULT_AREA_FIELDS, ...options.fields }
  const areas: AreaInput[] = []
  const errors: AreaRowError[] = []
  const notes: string[] = []
  const fc = collection as { type?: unknown; features?: unknown }
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    errors.push({
      index: -1,
      code: null,
      errors: [fieldError('', 'not_feature_collection', FIELD.notFeatureCollection)],
    })
    return { areas, errors, notes }
  }
  const seen = new Set<string>()
  let secret = 0
  fc.features.forEach((raw: unknown, index) => {
    const feature = raw as {
      properties?: Record<string, unknown>
      geometry?: { type?: string; coordinates?: unknown }
    }
    const props = feature?.properties ?? {}
    const rowErrors: FieldError[] = []
    const codeHit = pick(props, fields.code)
    const code = codeHit ? String(codeHit[1]).trim() : null
    const level = options.level ?? (code ? levelOfCode(code) : undefined)
    if (!code) {
      rowErrors.push(fieldError('/properties', 'required', FIELD.noCode(fields.code.join(', '))))
    } else if (!level) {
      rowErrors.push(
        fieldError(`/properties/${codeHit?.[0]}`, 'unknown_level', FIELD.unknownLevel(code)),
      )
    } else if (seen.has(code)) {
      rowErrors.push(fieldError(`/properties/${codeHit?.[0]}`, 'duplicate', FIELD.codeTwice(code)))
    }
    const nameHit = pick(props, fields.name)
    const gemeenteHit = level === 'pc4' ? pick(props, fields.gemeente) : undefined
    // What is stored as text must be storable: a NUL would fail the whole load in PostgreSQL.
    for (const hit of [codeHit, nameHit, gemeenteHit]) {
      const why = hit && unstorableText(String(hit[1]))
      if (why) rowErrors.push({ pointer: toPointer(['properties', hit[0]]), ...why })
    }
    const inhabitantsHit = pick(props, fields.inhabitants)
    let inhabitants: number | null = null
    if (inhabitantsHit) {
      const n = Number(inhabitantsHit[1])
      if (!Number.isFinite(n) || !Number.isInteger(n)) {
        rowErrors.push(
          fieldError(`/properties/${inhabitantsHit[0]}`, 'invalid_type', FIELD.inhabitantsWhole),
        )
      } else if (n < 0) {
        secret++
      } else {
        inhabitants = n
      }
    }
    const geometry = feature?.geometry
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      rowErrors.push(fieldError('/geometry', 'invalid_geometry', FIELD.areaGeometry))
    }
    if (rowErrors.length > 0 || !code || !level || !geometry) {
      errors.push({ index, code, errors: rowErrors })
      return
    }
    seen.add(code)
    const parents = parentsOfCode(code, level)
    areas.push({
      code,
      level,
      name: nameHit ? String(nameHit[1]) : code,
      gemeente_code: gemeenteHit ? String(gemeenteHit[1]) : parents.gemeente_code,
      parent_code: gemeenteHit ? String(gemeenteHit[1]) : parents.parent_code,
      inhabitants,
      inhabitants_year: inhabitants === null ? null : options.year,
      source: options.source,
      geometry: geometry as AreaInput['geometry'],
    })
  })
  if (secret > 0) {
    notes.push(
      `${secret} area(s) have a negative (secret/unknown) CBS inhabitants value; stored as unknown.`,
    )
  }
  return { areas, errors, notes }
}

/** One row of a key-figures table: an area code and its inhabitants. */
export interface CountRow {
  readonly code: string
  readonly inhabitants: number
}

/** Column names that hold the code and the inhabitants in a CBS key-figures table (CSV). */
export const COUNT_COLUMNS = {
  code: ['code', 'regiocode', 'wijkenenbuurten', 'gwb_code', 'statcode'],
  inhabitants: [
    'aantal_inwoners',
    'aantalinwoners_5',
    'aantalinwoners',
    'aant_inw',
    'inhabitants',
    'inwoners',
    'population',
  ],
  year: ['jaar', 'year', 'perioden'],
} as const

/**
 * Reads the rows of a key-figures table already split into records (header → value): the area
 * code and its inhabitants, and the year when a column says so. Negative or empty inhabitants
 * (CBS: secret or unknown) are left out and counted. Pure.
 */
export function normaliseCounts(records: readonly Record<string, string>[]): {
  rows: CountRow[]
  errors: AreaRowError[]
  years: Set<number>
  secret: number
} {
  const rows: CountRow[] = []
  const errors: AreaRowError[] = []
  const years = new Set<number>()
  const seen = new Set<string>()
  let secret = 0
  records.forEach((record, index) => {
    const lower = new Map(
      Object.entries(record).map(([k, v]) => [k.trim().toLowerCase(), [k, v] as const]),
    )
    const find = (names: readonly string[]) => names.map((n) => lower.get(n)).find(Boolean)
    const code = find(COUNT_COLUMNS.code)
    const n = find(COUNT_COLUMNS.inhabitants)
    const year = find(COUNT_COLUMNS.year)
    const rowErrors: FieldError[] = []
    const value = code?.[1].trim() ?? ''
    if (!code || !levelOfCode(value) || levelOfCode(value) === 'pc4') {
      rowErrors.push(
        fieldError(
          `/${index + 1}/${code?.[0] ?? 'code'}`,
          'invalid_code',
          FIELD.noCountCode(COUNT_COLUMNS.code.join(', ')),
        ),
      )
    } else if (seen.has(value)) {
      rowErrors.push(fieldError(`/${index + 1}/${code[0]}`, 'duplicate', FIELD.codeTwice(value)))
    }
    if (!n) {
      rowErrors.push(
        fieldError(
          `/${index + 1}`,
          'required',
          FIELD.noCount(COUNT_COLUMNS.inhabitants.join(', ')),
        ),
      )
    }
    if (year) {
      const y = Number(/\d{4}/.exec(year[1])?.[0])
      if (Number.isInteger(y)) years.add(y)
    }
    if (rowErrors.length > 0 || !n) {
      errors.push({ index, code: value || null, errors: rowErrors })
      return
    }
    const text = n[1].trim().replace(/\s/g, '')
    const count = Number(text)
    if (text === '' || text === '.' || (Number.isFinite(count) && count < 0)) {
      secret++
      return
    }
    if (!Number.isInteger(count)) {
      errors.push({
        index,
        code: value,
        errors: [fieldError(`/${index + 1}/${n[0]}`, 'invalid_type', FIELD.inhabitantsWhole)],
      })
      return
    }
    seen.add(value)
    rows.push({ code: value, inhabitants: count })
  })
  return { rows, errors, years, secret }
}
