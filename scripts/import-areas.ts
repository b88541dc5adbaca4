import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { AREA_LEVELS, DEFAULT_AREA_FIELDS, type AreaLevel } from '../api/domain/areas.js'
import { DomainError } from '../api/domain/errors.js'
import { systemClock } from '../api/services/assets.js'
import { importAreas, type AreaFile } from '../api/services/areas.js'
import { fail, openForScript } from './cli.js'

const usage = `Usage: npm run import:areas -- FILE [FILE…] [--level gemeente|wijk|buurt|pc4] [--year YYYY]
        [--code-field F] [--name-field F] [--inhabitants-field F] [--source TEXT]
        [--population-level auto|buurt|pc4|wijk|gemeente]

Loads CBS areas (GeoJSON, WGS84) with inhabitants, all files in one transaction, then rebuilds
the population surface once. The level follows from the codes (GM/WK/BU or a four-digit
postcode). Field names default to the CBS and PDOK spellings:
  code: ${DEFAULT_AREA_FIELDS.code.join(', ')}
  name: ${DEFAULT_AREA_FIELDS.name.join(', ')}
  inhabitants: ${DEFAULT_AREA_FIELDS.inhabitants.join(', ')}
The year of the counts defaults to the year in each file name ("pop2021", else "2022").
The population surface is spread from the finest level with counts (buurt > pc4 > wijk >
gemeente) unless --population-level says otherwise.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    level: { type: 'string' },
    year: { type: 'string' },
    'code-field': { type: 'string' },
    'name-field': { type: 'string' },
    'inhabitants-field': { type: 'string' },
    source: { type: 'string' },
    'population-level': { type: 'string', default: 'auto' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || positionals.length === 0) fail(usage)
for (const file of positionals) if (!fs.existsSync(file)) fail(`No such file: ${file}`)
if (values.level && !(AREA_LEVELS as readonly string[]).includes(values.level)) {
  fail(`--level must be one of ${AREA_LEVELS.join(', ')}`)
}
const populationLevel = values['population-level']
if (populationLevel !== 'auto' && !(AREA_LEVELS as readonly string[]).includes(populationLevel)) {
  fail(`--population-level must be auto or one of ${AREA_LEVELS.join(', ')}`)
}

/** The year of the inhabitants count, from --year or the file name. */
function yearOf(name: string): number | null {
  if (values.year) {
    const y = Number(values.year)
    if (!Number.isInteger(y) || y < 1900 || y > 2100) fail('--year must be a year such as 2022')
    return y
  }
  const m = /pop(\d{4})/i.exec(name) ?? /(20\d\d)/.exec(name)
  return m ? Number(m[1]) : null
}

const files: AreaFile[] = positionals.map((file) => {
  const base = path.basename(file)
  let collection: unknown
  try {
    collection = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    fail(`${file} is not valid JSON: ${String(e)}`)
  }
  return {
    collection,
    year: yearOf(base),
    source: values.source ?? `CBS / Kadaster (${base})`,
    level: values.level as AreaLevel | undefined,
    fields: {
      ...(values['code-field'] ? { code: [values['code-field']] } : {}),
      ...(values['name-field'] ? { name: [values['name-field']] } : {}),
      ...(values['inhabitants-field'] ? { inhabitants: [values['inhabitants-field']] } : {}),
    },
  }
})

const { handle } = await openForScript()
try {
  const report = await importAreas({ db: handle.db, clock: systemClock }, files, {
    populationLevel: populationLevel as AreaLevel | 'auto',
  })
  const levels = Object.entries(report.by_level)
    .map(([l, n]) => `${n} ${l}`)
    .join(', ')
  console.log(
    `Loaded ${report.imported} areas (${levels}); inhabitants in total ${report.inhabitants_total.toLocaleString('nl-NL')}`,
  )
  for (const note of report.notes) console.log(`Note: ${note}`)
  const { surface } = report
  console.log(
    surface.source_level
      ? `Population surface from the ${surface.source_level} level: ${surface.inhabitants.toLocaleString('nl-NL')} inhabitants; ` +
          Object.entries(surface.cells)
            .map(([res, n]) => `res ${res}: ${n} cells`)
            .join(', ')
      : 'No area has an inhabitants count yet: no population surface.',
  )
} catch (e) {
  if (e instanceof DomainError) {
    console.error(e.detail.en)
    const rows =
      (
        e.extra as {
          rows?: {
            row: number
            source_ref: string | null
            errors: { pointer: string; message: { en: string } }[]
          }[]
        }
      ).rows ?? []
    for (const r of rows.slice(0, 50)) {
      for (const err of r.errors)
        console.error(
          `  feature ${r.row} (${r.source_ref ?? '?'}) ${err.pointer}: ${err.message.en}`,
        )
    }
    process.exitCode = 1
  } else {
    throw e
  }
} finally {
  await handle.close()
}
