import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { AREA_LEVELS, DEFAULT_AREA_FIELDS, type AreaLevel } from '../api/domain/areas.js'
import { importAreasCommand } from '../api/admin/commands/import-areas.js'
import { execute, fail } from './cli.js'

const usage = `Usage: npm run import:areas -- FILE [FILE…] [--level gemeente|wijk|buurt|pc4] [--year YYYY]
        [--code-field F] [--name-field F] [--inhabitants-field F] [--source TEXT]

Loads CBS areas (GeoJSON, WGS84) with inhabitants, and CBS key-figures tables (.csv: the counts
of a year by area code, for areas already loaded or in the same command), all in one transaction,
then rebuilds the population surface once. The level follows from the codes (GM/WK/BU or a
four-digit postcode). Field names default to the CBS and PDOK spellings:
  code: ${DEFAULT_AREA_FIELDS.code.join(', ')}
  name: ${DEFAULT_AREA_FIELDS.name.join(', ')}
  inhabitants: ${DEFAULT_AREA_FIELDS.inhabitants.join(', ')}
The year of the counts defaults to the year in each file name ("pop2021", "kwb2024", "2022").
The surface places each finest administrative area's count (buurt, else wijk, else gemeente) of
the newest year they all have, weighted by PC4 counts per km² of land when PC4 areas are loaded;
every gemeente, wijk and buurt keeps its own CBS count.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    level: { type: 'string' },
    year: { type: 'string' },
    'code-field': { type: 'string' },
    'name-field': { type: 'string' },
    'inhabitants-field': { type: 'string' },
    source: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || positionals.length === 0) fail(usage)
for (const file of positionals) if (!fs.existsSync(file)) fail(`No such file: ${file}`)
if (values.level && !(AREA_LEVELS as readonly string[]).includes(values.level)) {
  fail(`--level must be one of ${AREA_LEVELS.join(', ')}`)
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

await execute(importAreasCommand, {
  files: positionals.map((file) => ({
    path: path.resolve(file),
    year: yearOf(path.basename(file)),
    source:
      values.source ??
      (/\.csv$/i.test(file)
        ? `CBS (${path.basename(file)})`
        : `CBS / Kadaster (${path.basename(file)})`),
  })),
  level: values.level as AreaLevel | undefined,
  fields: {
    ...(values['code-field'] ? { code: [values['code-field']] } : {}),
    ...(values['name-field'] ? { name: [values['name-field']] } : {}),
    ...(values['inhabitants-field'] ? { inhabitants: [values['inhabitants-field']] } : {}),
  },
})
