import fs from 'node:fs'
import { spreadAreas, surfaces } from '../api/domain/surface.js'
for (const f of ['flevoland_wijken_2022.geojson', 'flevoland_pc4_2020geom_pop2021.geojson', 'flevoland_gemeenten_2022.geojson']) {
  const fc = JSON.parse(fs.readFileSync('../shared/data/' + f, 'utf8'))
  const areas = fc.features.map((x: any) => ({ code: x.properties.code ?? x.properties.postcode, inhabitants: x.properties.population ?? x.properties.inwoners ?? 0, geometry: x.geometry }))
  let t = Date.now()
  const shares = spreadAreas(areas)
  const t1 = Date.now() - t; t = Date.now()
  const s = surfaces(shares, new Map(areas.map((a: any) => [a.code, a.inhabitants])))
  console.log(f, 'spread', t1, 'ms; surfaces', Date.now() - t, 'ms; shares', shares.length, 'cells', s.map(x => x.cells.length))
}
