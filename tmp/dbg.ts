import fs from 'node:fs'
import { normaliseAreas } from '../api/domain/areas.js'
for (const f of ['flevoland_gemeenten_2022.geojson','flevoland_wijken_2022.geojson','flevoland_pc4_2020geom_pop2021.geojson']) {
const r = normaliseAreas(JSON.parse(fs.readFileSync('../shared/data/'+f,'utf8')), { year: 2022, source: 'x' })
console.log(f, r.areas.length, r.errors.length, JSON.stringify(r.errors.slice(0,2)))
}
