import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { describe, expect, it } from 'vitest'
import {
  assetShapes,
  cellResolution,
  clipRing,
  isTile,
  lonLatToMercator,
  mercatorToLonLat,
  polygonsToTileRings,
  ringArea,
  snapRing,
  tileBox,
  tileRange,
  WORLD_HALF,
  type Ring,
} from '../../api/domain/tiles.js'
import type { Database } from '../../api/db/database.js'
import { systemClock } from '../../api/domain/clock.js'
import { specKey, TILE_SOURCES, type TileSource } from '../../api/http/tile-sources.js'
import type { Analysis } from '../../api/services/analysis.js'
import { createTiles, encodeTile, tileOf, type TileRequest } from '../../api/services/tiles.js'

describe('tile grid', () => {
  it('gives the boxes of ST_TileEnvelope', () => {
    // select ST_AsText(ST_TileEnvelope(10, 527, 336)) on PostGIS.
    const box = tileBox({ z: 10, x: 527, y: 336 })
    expect(box.minX).toBeCloseTo(587036.3772301525, 6)
    expect(box.maxX).toBeCloseTo(626172.1357121654, 6)
    expect(box.minY).toBeCloseTo(6848757.734351791, 6)
    expect(box.maxY).toBeCloseTo(6887893.4928338025, 6)
    expect(tileBox({ z: 0, x: 0, y: 0 })).toEqual({
      minX: -WORLD_HALF,
      maxX: WORLD_HALF,
      minY: -WORLD_HALF,
      maxY: WORLD_HALF,
    })
  })

  it('finds the tile of a position and projects both ways', () => {
    // Lelystad at z10 lies in 527/335; a box over Flevoland spans several tiles.
    expect(tileRange([5.4714, 52.5185, 5.4714, 52.5185], 10)).toEqual([527, 335, 527, 335])
    expect(tileRange([5.13, 52.27, 5.93, 52.87], 8)).toEqual([131, 83, 132, 84])
    const [x, y] = lonLatToMercator(5.4714, 52.5185)
    // select ST_X(ST_Transform(ST_SetSRID(ST_MakePoint(5.4714, 52.5185), 4326), 3857)).
    expect(x).toBeCloseTo(609073.461926317, 6)
    const [lon, lat] = mercatorToLonLat(x, y)
    expect(lon).toBeCloseTo(5.4714, 10)
    expect(lat).toBeCloseTo(52.5185, 10)
  })

  it('knows a tile address from nonsense', () => {
    expect(isTile({ z: 0, x: 0, y: 0 })).toBe(true)
    expect(isTile({ z: 2, x: 3, y: 3 })).toBe(true)
    expect(isTile({ z: 2, x: 4, y: 0 })).toBe(false)
    expect(isTile({ z: -1, x: 0, y: 0 })).toBe(false)
    expect(isTile({ z: 1.5, x: 0, y: 0 })).toBe(false)
    expect(isTile({ z: 23, x: 0, y: 0 })).toBe(false)
    expect(isTile({ z: 3, x: NaN, y: 0 })).toBe(false)
  })

  it('clusters assets at low zoom and falls back to coarser forms when dense', () => {
    expect(assetShapes(12)).toEqual([{ kind: 'clusters', cellUnits: 512 }])
    expect(assetShapes(13).map((s) => s.kind)).toEqual(['points', 'clusters', 'clusters'])
    expect(cellResolution(8, 'distance')).toBe(7)
    expect(cellResolution(9, 'distance')).toBe(8)
    expect(cellResolution(11, 'gap')).toBe(9)
    expect(cellResolution(14, 'population')).toBe(10)
    expect(cellResolution(5, 'density')).toBe(6)
    expect(cellResolution(5, 'population')).toBe(7)
  })
})

describe('tile geometry', () => {
  const square: Ring = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
  ]

  it('measures exterior rings positive in tile coordinates (y down), as MVT 2.1 asks', () => {
    // Right, down, left: clockwise on screen.
    expect(ringArea(square)).toBe(200)
    expect(ringArea([...square].reverse())).toBe(-200)
  })

  it('clips a ring to a box', () => {
    const clipped = clipRing(
      [
        [-5, -5],
        [5, -5],
        [5, 5],
        [-5, 5],
      ],
      0,
      10,
    )
    expect(Math.abs(ringArea(clipped))).toBe(50)
    expect(clipped.every(([x, y]) => x >= 0 && y >= 0)).toBe(true)
    expect(
      clipRing(
        [
          [20, 20],
          [30, 20],
          [30, 30],
        ],
        0,
        10,
      ),
    ).toEqual([])
  })

  it('snaps rings, drops repeats, runs in line and folded spikes, and collapsed rings', () => {
    const snapped = snapRing([
      [0.2, 0.1],
      [4.9, 0],
      [10, 0.3],
      [10, 0.4],
      [10.1, 10],
      [0, 10],
      [0.4, 10.2],
      [0, 0],
    ])
    expect(new Set(snapped?.map(String))).toEqual(new Set(['0,0', '10,0', '10,10', '0,10']))
    expect(snapped).toHaveLength(4)
    expect(ringArea(snapped ?? [])).toBe(200)
    // A spike that goes out and straight back along itself.
    const spiked = snapRing([
      [0, 0],
      [10, 0],
      [20, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ])
    expect(spiked).toHaveLength(4)
    expect(ringArea(spiked ?? [])).toBe(200)
    expect(spiked).not.toContainEqual([20, 0])
    expect(
      snapRing([
        [0, 0],
        [0.3, 0.2],
        [0.1, 0.4],
      ]),
    ).toBeUndefined()
  })

  it('winds exteriors positive and holes negative, dropping a polygon whose exterior collapsed', () => {
    const hole: Ring = [
      [2, 2],
      [2, 4],
      [4, 4],
      [4, 2],
    ]
    const rings = polygonsToTileRings([
      [[...square].reverse(), [...hole].reverse()],
      [
        [
          [50, 50],
          [50.2, 50.1],
          [50.1, 50.3],
        ],
        hole,
      ],
    ])
    expect(rings).toHaveLength(2)
    expect(ringArea(rings[0] as Ring)).toBeGreaterThan(0)
    expect(ringArea(rings[1] as Ring)).toBeLessThan(0)
  })
})

describe('encoding', () => {
  it('writes a tile that @mapbox/vector-tile reads back', () => {
    const bytes = encodeTile('things', [
      { type: 'point', point: [100, 200], properties: { name: 'A', n: 3, ok: true } },
      {
        type: 'polygon',
        rings: [
          [
            [0, 0],
            [10, 0],
            [10, 10],
            [0, 10],
          ],
        ],
        properties: { share: 0.25 },
      },
    ])
    const layer = new VectorTile(new PbfReader(bytes)).layers['things']
    expect(layer?.length).toBe(2)
    expect(layer?.extent).toBe(4096)
    expect(layer?.feature(0).properties).toEqual({ name: 'A', n: 3, ok: true })
    expect(layer?.feature(0).loadGeometry()[0]?.[0]).toMatchObject({ x: 100, y: 200 })
    const polygon = layer?.feature(1)
    expect(polygon?.type).toBe(3)
    expect(polygon?.properties).toEqual({ share: 0.25 })
    expect(polygon?.toGeoJSON(0, 0, 0).geometry.type).toBe('Polygon')
    expect(encodeTile('things', [])).toHaveLength(0)
  })
})

describe('versions and cache', () => {
  const v = { assets: 7, areas: 3, network: 2 }
  const versionOf = (layer: string, query: Record<string, string>) =>
    (TILE_SOURCES.get(layer) as TileSource).read(query, systemClock).request.version(v)

  it('keys each layer on what it is made from', () => {
    expect(versionOf('assets', {})).toBe('7')
    expect(versionOf('areas', { level: 'wijk' })).toBe('3')
    expect(versionOf('cells', { metric: 'population' })).toBe('3')
    expect(versionOf('cells', { metric: 'density' })).toBe('7')
    expect(versionOf('cells', { metric: 'distance', mode: 'line' })).toBe('7.3')
    expect(versionOf('cells', { metric: 'distance', mode: 'walk' })).toBe('7.3.2')
  })

  it('keys a spec on its values, whatever the order of its properties and names', () => {
    expect(specKey({ kinds: ['sports', 'library'], bbox: [5, 52, 6, 53] })).toBe(
      specKey({ bbox: [5, 52, 6, 53], kinds: ['library', 'sports'] }),
    )
    expect(specKey({ bbox: [5, 52, 6, 53] })).not.toBe(specKey({ bbox: [52, 5, 53, 6] }))
    expect(specKey({ kinds: ['library'] })).not.toBe(specKey({ kinds: ['sports'] }))
  })

  it('keeps the most recently used tiles within its size', async () => {
    const made: string[] = []
    const request = (key: string, bytes: number): TileRequest => ({
      key,
      version: () => '1',
      make: () => {
        made.push(key)
        return Promise.resolve(tileOf(new Uint8Array(bytes), 1, '1'))
      },
    })
    const tiles = createTiles({
      db: {} as Database,
      backend: 'pglite',
      analysis: {} as Analysis,
      cacheBytes: 100,
    })
    const get = (key: string, bytes = 40) =>
      tiles.tile(request(key, bytes), { z: 0, x: 0, y: 0 }, '1')
    await get('a')
    await get('b')
    await get('a')
    await get('c')
    // 'b' was least recently used.
    expect(made).toEqual(['a', 'b', 'c'])
    await get('a')
    await get('c')
    expect(made).toEqual(['a', 'b', 'c'])
    await get('b')
    expect(made).toEqual(['a', 'b', 'c', 'b'])
    expect(tiles.cachedTiles()).toBe(2)
    // An empty tile is kept too; one larger than the whole cache is not.
    await get('empty', 0)
    await get('empty', 0)
    await get('huge', 101)
    await get('huge', 101)
    expect(made.slice(4)).toEqual(['empty', 'huge', 'huge'])
  })
})
