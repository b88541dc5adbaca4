import { TileAnswers } from '../../api/http/tiles.js'
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
import { encodeTile, layerVersion, TileCache } from '../../api/services/tiles.js'

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
  const filter = {
    meetingPlacesOnly: true,
    statuses: ['active' as const],
    openUnknown: 'include' as const,
    approximate: 'exclude' as const,
  }
  const cells = (metric: 'population' | 'density' | 'distance', mode: 'line' | 'walk') =>
    ({ layer: 'cells', params: { metric, mode, thresholdM: 800, filter } }) as const

  it('keys each layer on what it is made from', () => {
    expect(layerVersion({ layer: 'assets', filter: {} }, v)).toBe('7')
    expect(layerVersion({ layer: 'areas', filter: { level: 'wijk' } }, v)).toBe('3')
    expect(layerVersion(cells('population', 'line'), v)).toBe('3')
    expect(layerVersion(cells('density', 'line'), v)).toBe('7')
    expect(layerVersion(cells('distance', 'line'), v)).toBe('7.3')
    expect(layerVersion(cells('distance', 'walk'), v)).toBe('7.3.2')
  })

  it('keeps the most recently used tiles within its size', () => {
    const tile = (n: number) => ({
      bytes: new Uint8Array(n),
      etag: '"x"',
      version: '1',
      features: 1,
    })
    const cache = new TileCache(100)
    cache.set('a', tile(40))
    cache.set('b', tile(40))
    expect(cache.get('a')).toBeDefined()
    cache.set('c', tile(40))
    // 'b' was least recently used.
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    expect(cache.get('c')).toBeDefined()
    cache.set('c', tile(10))
    cache.set('d', tile(50))
    expect(cache.size).toBe(3)
  })
})

describe('remembered tile answers', () => {
  const answer = (bytes: number) => ({
    etag: `"${bytes}"`,
    body: new Uint8Array(bytes),
    headers: {},
    notModified: {},
  })

  it('keeps at most the bytes it is given, dropping the least recently used first', () => {
    const answers = new TileAnswers(250)
    answers.set('a', answer(100))
    answers.set('b', answer(100))
    expect(answers.get('a')?.etag).toBe('"100"') // a is now the most recent
    answers.set('c', answer(100))
    expect(answers.size).toBe(200)
    expect(answers.get('b')).toBeUndefined()
    expect(answers.get('a')).toBeDefined()
    expect(answers.get('c')).toBeDefined()
    // Replacing an answer counts its bytes once; one larger than the bound is still kept alone.
    answers.set('c', answer(50))
    expect(answers.size).toBe(150)
    answers.set('d', answer(400))
    expect(answers.size).toBe(400)
    expect(answers.get('d')).toBeDefined()
    expect(answers.get('a')).toBeUndefined()
  })
})
