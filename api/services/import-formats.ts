import { parse as parseCsv } from 'csv-parse/sync'
import { ATTRIBUTE_FIELDS } from '../domain/asset.js'
import type { FieldError } from '../domain/errors.js'
import { FIELD, REASON, type Bilingual } from '../domain/messages.js'
import { isPlausibleRd, rdToLonLat } from '../domain/geo.js'
import { unstorableText } from '../domain/text.js'
import { toPointer } from '../domain/validation.js'

export type ImportFormat = 'geojson' | 'csv'

/** One record of an import file, before validation: the shape of a create request. */
export interface ImportCandidate {
  /** 1-based feature number (GeoJSON) or data line number (CSV, header is line 1). */
  readonly row: number
  readonly input: { geometry: unknown; properties: Record<string, unknown> }
  /**
   * The Buurtkaart id the row was exported with (CSV column `id`, GeoJSON `feature.id`), when it
   * is one: a re-import matches the place by it, so a place made in the app is not duplicated.
   */
  readonly id?: string | undefined
  /** The asset fields the file gives for this row (an empty CSV cell counts: it clears). */
  readonly fields: readonly string[]
  /** Problems found while reading the row (coordinates), before schema validation. */
  readonly errors: FieldError[]
}

export interface ParsedImport {
  readonly candidates: ImportCandidate[]
  /** Columns or properties that are not asset fields and were left out. */
  readonly ignoredFields: string[]
  /** A problem with the file as a whole (not JSON, no header…); nothing else is reported then. */
  readonly fileError?: FieldError
}

/** The asset fields an import may set. */
const IMPORT_FIELDS = new Set<string>(ATTRIBUTE_FIELDS)
const BOOLEAN_FIELDS = new Set(['is_meeting_place', 'free_entry'])
const LIST_FIELDS = new Set(['target_groups', 'activities'])
const LON = ['lon', 'lng', 'longitude', 'lengtegraad']
const LAT = ['lat', 'latitude', 'breedtegraad']
const RD_X = ['x', 'rd_x', 'x_rd']
const RD_Y = ['y', 'rd_y', 'y_rd']
const COORDINATE_COLUMNS = new Set([...LON, ...LAT, ...RD_X, ...RD_Y])

function fileError(message: Bilingual): ParsedImport {
  return {
    candidates: [],
    ignoredFields: [],
    fileError: { pointer: '', code: 'invalid_file', message },
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A value that is a Buurtkaart id (a UUID), as an id; anything else is no id. */
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined

/** The text a spreadsheet would run as a formula: =, +, -, @, tab or CR first (after quotes). */
const FORMULA_START = /^'*[=+\-@\t\r]/
const NEUTRALISED = /^'+[=+\-@\t\r]/

/**
 * A text cell made safe to open in a spreadsheet (OWASP CSV injection): one single quote before
 * text that starts like a formula. Quotes already in front count as part of the start, so
 * `'=x` becomes `''=x`: every text keeps its own cell and `fromSpreadsheetSafe` gives it back.
 */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** The text a `spreadsheetSafe` cell stands for (other cells are their own text). */
export function fromSpreadsheetSafe(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell
}

/** Reads a GeoJSON FeatureCollection of Point features. `feature.id` is a fallback reference. */
export function parseGeoJsonImport(text: string): ParsedImport {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return fileError(REASON.importNotJson(String(e)))
  }
  const fc = doc as { type?: unknown; features?: unknown }
  if (
    !fc ||
    typeof fc !== 'object' ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  ) {
    return fileError(REASON.expectedFeatureCollection)
  }
  const ignored = new Set<string>()
  const candidates = fc.features.map((raw: unknown, i): ImportCandidate => {
    const f = (raw && typeof raw === 'object' ? raw : {}) as {
      id?: unknown
      geometry?: unknown
      properties?: unknown
    }
    const props =
      f.properties && typeof f.properties === 'object' && !Array.isArray(f.properties)
        ? (f.properties as Record<string, unknown>)
        : {}
    const properties: Record<string, unknown> = {}
    const errors: FieldError[] = []
    for (const [key, value] of Object.entries(props)) {
      if (IMPORT_FIELDS.has(key)) {
        properties[key] = value
        continue
      }
      // A name left out is still reported (and audited): one PostgreSQL cannot store is refused.
      const why = unstorableText(key)
      if (why) errors.push({ pointer: toPointer(['properties', key]), ...why })
      else ignored.add(key)
    }
    const fields = Object.keys(properties)
    if (
      properties.source_ref === undefined &&
      (typeof f.id === 'string' || typeof f.id === 'number')
    ) {
      properties.source_ref = String(f.id)
    }
    return {
      row: i + 1,
      input: { geometry: f.geometry, properties },
      id: idOf(f.id),
      fields,
      errors,
    }
  })
  return { candidates, ignoredFields: [...ignored].sort() }
}

function parseNumber(cell: string): number {
  // A spreadsheet-safe export may have put a quote before a negative number.
  const text = fromSpreadsheetSafe(cell)
  // Dutch spreadsheets write decimal commas ("5,4714").
  return Number(/^-?\d+,\d+$/.test(text) ? text.replace(',', '.') : text)
}

function convertCell(field: string, value: string): unknown {
  if (BOOLEAN_FIELDS.has(field)) {
    const v = value.toLowerCase()
    if (['true', 'ja', 'yes', '1', 'j', 'y'].includes(v)) return true
    if (['false', 'nee', 'no', '0', 'n'].includes(v)) return false
    return value
  }
  if (LIST_FIELDS.has(field)) {
    return value
      .split('|')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  }
  if (field === 'capacity') return /^-?\d+$/.test(value) ? Number(value) : value
  return value
}

function column(header: readonly string[], names: readonly string[]): string | undefined {
  return header.find((h) => names.includes(h.toLowerCase()))
}

/** The separator of the header line: Dutch spreadsheets write `;`, others `,`. */
function delimiterOf(text: string): ',' | ';' {
  const header = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))
  return header.split(';').length > header.split(',').length ? ';' : ','
}

/**
 * Reads CSV with a header line, comma or semicolon separated. Coordinates from lon/lat columns
 * (WGS84 degrees) or x/y columns (RD New metres, EPSG:28992). Lists are separated by `|`.
 */
export function parseCsvImport(text: string): ParsedImport {
  let records: Record<string, string>[]
  try {
    records = parseCsv<Record<string, string>>(text, {
      columns: (h: string[]) => h.map((c) => c.trim()),
      bom: true,
      delimiter: delimiterOf(text),
      skip_empty_lines: true,
      trim: true,
    })
  } catch (e) {
    return fileError(REASON.csvUnreadable(String(e)))
  }
  const header = Object.keys(records[0] ?? {})
  const unstorable = header.findIndex((h) => unstorableText(h))
  if (unstorable >= 0) {
    const why = unstorableText(header[unstorable] as string)!
    return {
      candidates: [],
      ignoredFields: [],
      fileError: {
        pointer: `/${unstorable + 1}`,
        code: why.code,
        message: FIELD.headerColumn(unstorable + 1, why.message),
      },
    }
  }
  const lonCol = column(header, LON)
  const latCol = column(header, LAT)
  const xCol = column(header, RD_X)
  const yCol = column(header, RD_Y)
  const useRd = !(lonCol && latCol) && xCol !== undefined && yCol !== undefined
  if (records.length > 0 && !(lonCol && latCol) && !useRd) {
    return fileError(REASON.noCoordinates)
  }
  const ignored = header.filter(
    (h) => !IMPORT_FIELDS.has(h) && !COORDINATE_COLUMNS.has(h.toLowerCase()) && h !== 'id',
  )
  const fields = header.filter((h) => IMPORT_FIELDS.has(h))
  let otherIds = false
  const candidates = records.map((rec, i): ImportCandidate => {
    const errors: FieldError[] = []
    const properties: Record<string, unknown> = {}
    for (const [key, cell] of Object.entries(rec)) {
      const value = fromSpreadsheetSafe(cell)
      if (IMPORT_FIELDS.has(key) && value !== '') properties[key] = convertCell(key, value)
    }
    const id = idOf(rec.id)
    if (!id && rec.id) otherIds = true
    let geometry: unknown = undefined
    if (useRd) {
      const x = parseNumber(rec[xCol] ?? '')
      const y = parseNumber(rec[yCol] ?? '')
      if (!Number.isFinite(x) || !Number.isFinite(y) || !isPlausibleRd(x, y)) {
        errors.push({
          pointer: `/${xCol}`,
          code: 'invalid_coordinates',
          message: FIELD.notRdCoordinates(`${rec[xCol]}`, `${rec[yCol]}`),
        })
      } else {
        geometry = { type: 'Point', coordinates: [...rdToLonLat(x, y)] }
      }
    } else if (lonCol && latCol) {
      const lon = parseNumber(rec[lonCol] ?? '')
      const lat = parseNumber(rec[latCol] ?? '')
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        errors.push({
          pointer: `/${lonCol}`,
          code: 'invalid_coordinates',
          message: FIELD.lonLatNotNumbers(`${rec[lonCol]}`, `${rec[latCol]}`),
        })
      } else {
        geometry = { type: 'Point', coordinates: [lon, lat] }
      }
    }
    return { row: i + 2, input: { geometry, properties }, id, fields, errors }
  })
  // An id column of another system's numbers is not ours: it was left out, and is said so.
  return { candidates, ignoredFields: otherIds ? [...ignored, 'id'] : ignored }
}

export function parseImport(format: ImportFormat, text: string): ParsedImport {
  return format === 'csv' ? parseCsvImport(text) : parseGeoJsonImport(text)
}

/** Guesses the format from a file name. */
export function formatOfFileName(name: string): ImportFormat | undefined {
  const lower = name.toLowerCase()
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson'
  return undefined
}
