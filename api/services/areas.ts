import { parse as parseCsv } from 'csv-parse/sync'
import {
  normaliseAreas,
  normaliseCounts,
  type AreaFieldNames,
  type AreaInput,
  type AreaLevel,
  type CountRow,
} from '../domain/areas.js'
import { invalidInput, type FieldError } from '../domain/errors.js'
import { FIELD, PROBLEM } from '../domain/messages.js'
import type { Database } from '../db/database.js'
import { assignAreaCodes } from '../repositories/assets.js'
import {
  assignPc4Gemeenten,
  getArea,
  hasAreas,
  knownCodes,
  listAreas,
  upsertAreas,
  upsertCounts,
} from '../repositories/areas.js'
import type { Clock } from '../domain/clock.js'
import type { RowError } from './import.js'
import { rebuildSurface, type SurfaceReport } from './population.js'

/** One file of areas, with what is known about it. */
export interface AreaFile {
  readonly collection: unknown
  /** Year of the inhabitant counts. */
  readonly year: number | null
  /** Where it comes from, as the inputs of every figure will cite it. */
  readonly source: string
  readonly level?: AreaLevel | undefined
  readonly fields?: Partial<AreaFieldNames> | undefined
}

/** A CBS key-figures table (CSV by area code): newer counts without new geometry. */
export interface CountFile {
  readonly text: string
  /** The year of its counts; null: from a year column or the file name. */
  readonly year: number | null
  readonly source: string
  readonly name: string
}

export interface AreaImportReport {
  readonly imported: number
  readonly by_level: Readonly<Record<string, number>>
  /** Counts loaded from key-figures tables, per year. */
  readonly counts: readonly {
    year: number
    source: string
    areas: number
    by_level: Readonly<Record<string, number>>
  }[]
  /**
   * Per level, the inhabitants of the surface's year: CBS's own counts added up within a level,
   * never across levels (gemeenten, wijken and buurten are the same people).
   */
  readonly levels: readonly {
    level: AreaLevel
    areas: number
    withCount: number
    inhabitants: number
    year: number | null
  }[]
  /** Per gemeente: its official count, its wijken's counts together, and what the surface holds. */
  readonly gemeenten: readonly {
    code: string
    name: string
    official: number | null
    wijken: number | null
    surface: number
  }[]
  readonly notes: readonly string[]
  readonly surface: SurfaceReport
}

const fail = (rows: RowError[]) =>
  invalidInput(PROBLEM.areasNotLoaded(rows.length), { extra: { rows } })

const INVALID_GEOMETRY: FieldError = {
  pointer: '/geometry',
  code: 'invalid_geometry',
  message: FIELD.invalidGeometry,
}

/**
 * Loads CBS areas from one or more GeoJSON FeatureCollections, all-or-nothing in one
 * transaction: an invalid feature or a geometry PostGIS finds invalid rolls everything back.
 * Then every asset's gemeente/wijk/buurt/PC4 codes are derived again and the population surface
 * is rebuilt once, in the same transaction.
 */
export async function importAreas(
  deps: { db: Database; clock: Clock },
  files: readonly AreaFile[],
  countFiles: readonly CountFile[] = [],
): Promise<AreaImportReport> {
  const areas: AreaInput[] = []
  const notes: string[] = []
  const errors: RowError[] = []
  for (const file of files) {
    const result = normaliseAreas(file.collection, file)
    areas.push(...result.areas)
    notes.push(...result.notes)
    errors.push(
      ...result.errors.map((e) => ({ row: e.index + 1, source_ref: e.code, errors: e.errors })),
    )
  }
  const tables: { year: number; source: string; rows: CountRow[] }[] = []
  for (const file of countFiles) {
    const table = readCountFile(file)
    errors.push(...table.errors)
    notes.push(...table.notes)
    if (table.year !== null)
      tables.push({ year: table.year, source: file.source, rows: table.rows })
  }
  if (errors.length > 0) throw fail(errors)
  const surface = await deps.db.transaction().execute(async (trx) => {
    const invalid = await upsertAreas(trx, areas, deps.clock.now())
    if (invalid.length > 0) {
      throw fail(
        invalid.map((code) => ({
          row: areas.findIndex((a) => a.code === code) + 1,
          source_ref: code,
          errors: [INVALID_GEOMETRY],
        })),
      )
    }
    // The count in an area file is that year's count too.
    await upsertCounts(
      trx,
      areas.flatMap((a) =>
        a.inhabitants !== null && a.inhabitants_year !== null
          ? [
              {
                code: a.code,
                year: a.inhabitants_year,
                inhabitants: a.inhabitants,
                source: a.source,
              },
            ]
          : [],
      ),
      deps.clock.now(),
    )
    if (tables.length > 0) {
      const known = await knownCodes(
        trx,
        tables.flatMap((t) => t.rows.map((r) => r.code)),
      )
      const unknown = tables.flatMap((t) =>
        t.rows
          .map((r, i) => ({ r, i }))
          .filter(({ r }) => !known.has(r.code))
          .map(({ r, i }) => ({
            row: i + 1,
            source_ref: r.code,
            errors: [
              {
                pointer: `/${i + 1}/code`,
                code: 'unknown_area',
                message: FIELD.areaNotLoaded(r.code),
              },
            ],
          })),
      )
      if (unknown.length > 0) throw fail(unknown)
      for (const t of tables) {
        await upsertCounts(
          trx,
          t.rows.map((r) => ({ ...r, year: t.year, source: t.source })),
          deps.clock.now(),
        )
      }
    }
    await assignPc4Gemeenten(trx)
    await assignAreaCodes(trx)
    return rebuildSurface(trx, deps.clock)
  })
  const byLevel: Record<string, number> = {}
  for (const a of areas) byLevel[a.level] = (byLevel[a.level] ?? 0) + 1
  return {
    imported: areas.length,
    by_level: byLevel,
    counts: tables.map((t) => {
      const levels: Record<string, number> = {}
      for (const r of t.rows) {
        const level = r.code.startsWith('GM')
          ? 'gemeente'
          : r.code.startsWith('WK')
            ? 'wijk'
            : 'buurt'
        levels[level] = (levels[level] ?? 0) + 1
      }
      return { year: t.year, source: t.source, areas: t.rows.length, by_level: levels }
    }),
    ...(await levelSummary(deps.db, surface)),
    notes,
    surface,
  }
}

/** Parses a key-figures CSV (comma or semicolon) into counts for one year. */
function readCountFile(file: CountFile) {
  const notes: string[] = []
  let records: Record<string, string>[]
  try {
    const firstLine = file.text.slice(0, file.text.indexOf('\n') >>> 0)
    records = parseCsv<Record<string, string>>(file.text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      delimiter: firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',',
      trim: true,
    })
  } catch (e) {
    return {
      rows: [],
      year: null,
      notes,
      errors: [
        {
          row: 0,
          source_ref: file.name,
          errors: [
            {
              pointer: '',
              code: 'invalid_csv',
              message: FIELD.unreadableCsv(file.name, (e as Error).message),
            },
          ],
        },
      ] as RowError[],
    }
  }
  const result = normaliseCounts(records)
  const fromName = /(?:^|\D)((?:19|20)\d\d)(?:\D|$)/.exec(file.name)?.[1]
  const year =
    file.year ??
    (result.years.size === 1
      ? ([...result.years][0] as number)
      : fromName
        ? Number(fromName)
        : null)
  const errors: RowError[] = result.errors.map((e) => ({
    row: e.index + 1,
    source_ref: e.code,
    errors: e.errors,
  }))
  if (year === null) {
    errors.push({
      row: 0,
      source_ref: file.name,
      errors: [
        {
          pointer: '',
          code: 'year_unknown',
          message: FIELD.yearUnknown(file.name),
        },
      ],
    })
  }
  if (result.secret > 0)
    notes.push(
      `${file.name}: ${result.secret} areas have no published count (CBS: secret or unknown).`,
    )
  return { rows: result.rows, year, notes, errors }
}

/** The import's summary per level and per gemeente (see AreaImportReport). */
async function levelSummary(db: Database, surface: SurfaceReport) {
  const all = await listAreas(db, {})
  const controls = new Map(surface.controls.map((c) => [c.code, c]))
  const levels = (['gemeente', 'wijk', 'buurt', 'pc4'] as const).flatMap((level) => {
    const of = all.filter((a) => a.level === level)
    if (of.length === 0) return []
    const counted = of.filter((a) =>
      level === 'pc4' ? a.inhabitants !== null : controls.has(a.code),
    )
    const inhabitants = counted.reduce(
      (s, a) =>
        s + (level === 'pc4' ? (a.inhabitants ?? 0) : (controls.get(a.code)?.official ?? 0)),
      0,
    )
    const years = new Set(
      counted.map((a) =>
        level === 'pc4' ? a.inhabitants_year : (controls.get(a.code)?.year ?? null),
      ),
    )
    return [
      {
        level,
        areas: of.length,
        withCount: counted.length,
        inhabitants,
        year: years.size === 1 ? ([...years][0] ?? null) : null,
      },
    ]
  })
  const gemeenten = all
    .filter((a) => a.level === 'gemeente')
    .map((g) => {
      const wijken = all.filter((a) => a.level === 'wijk' && a.gemeente_code === g.code)
      const wijkCounts = wijken.map((w) => controls.get(w.code)?.official)
      return {
        code: g.code,
        name: g.name,
        official: controls.get(g.code)?.official ?? null,
        wijken:
          wijken.length > 0 && wijkCounts.every((n) => n !== undefined)
            ? wijkCounts.reduce((s: number, n) => s + (n ?? 0), 0)
            : null,
        surface: controls.get(g.code)?.surface ?? 0,
      }
    })
  return { levels, gemeenten }
}

/** The CBS areas of a level, a gemeente or a bounding box, with their outlines as GeoJSON text. */
export function findAreas(db: Database, filter: Parameters<typeof listAreas>[1]) {
  return listAreas(db, filter)
}

/** One CBS area by code with its outline and figures, or undefined. */
export function findArea(db: Database, code: string) {
  return getArea(db, code)
}

/** Whether any CBS area is loaded yet. */
export function hasAreaData(db: Database): Promise<boolean> {
  return hasAreas(db)
}
