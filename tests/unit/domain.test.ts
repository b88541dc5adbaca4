import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_REGION_BBOX, loadConfig } from '../../api/config.js'
import { assetSchemas, openingHoursError } from '../../api/domain/asset.js'
import { levelOfCode, normaliseAreas } from '../../api/domain/areas.js'
import { parseBbox, rdToLonLat } from '../../api/domain/geo.js'
import { defaultMeetingPlace, KINDS } from '../../api/domain/kinds.js'
import { toPointer, zodToFieldErrors } from '../../api/domain/validation.js'
import { parseCsvImport } from '../../api/services/import-formats.js'
import { contentRef } from '../../api/services/import.js'

describe('geo', () => {
  it('parses a bbox only when it is four ordered degrees', () => {
    expect(parseBbox('5.4,52.45,5.55,52.55')).toEqual([5.4, 52.45, 5.55, 52.55])
    for (const bad of ['', '1,2,3', '5,53,4,52', 'a,b,c,d', '0,0,200,1', '1,,2,3', '1,2,1,3']) {
      expect(parseBbox(bad), bad).toBeUndefined()
    }
  })

  it('converts RD New to WGS84 (Amersfoort origin, published WGS84 position within ~1 m)', () => {
    const [lon, lat] = rdToLonLat(155000, 463000)
    expect(lon).toBeCloseTo(5.387206, 4)
    expect(lat).toBeCloseTo(52.155172, 4)
  })
})

describe('taxonomy', () => {
  it('has unique codes and Dutch and English labels', () => {
    const codes = KINDS.map((k) => k.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const k of KINDS) expect(k.label.nl && k.label.en).toBeTruthy()
  })

  it('marks rest points and schools as not meeting places by default', () => {
    expect(defaultMeetingPlace('bench')).toBe(false)
    expect(defaultMeetingPlace('school')).toBe(false)
    expect(defaultMeetingPlace('library')).toBe(true)
  })
})

describe('validation', () => {
  const schemas = assetSchemas({ bbox: DEFAULT_REGION_BBOX, name: 'Flevoland' })

  it('escapes JSON Pointer segments (RFC 6901)', () => {
    expect(toPointer(['properties', 'a/b', 'c~d', 0])).toBe('/properties/a~1b/c~0d/0')
  })

  it('names every invalid field with a code and both languages', () => {
    const input = {
      geometry: { type: 'Point', coordinates: [5.47, 52.51] },
      properties: { name: 5, capacity: 1.5, wheelchair: 'sometimes', extra: true },
    }
    const result = schemas.create.safeParse(input)
    expect(result.success).toBe(false)
    if (result.success) return
    const errors = zodToFieldErrors(result.error, input)
    expect(errors.map((e) => [e.pointer, e.code]).sort()).toEqual([
      ['/properties', 'unknown_field'],
      ['/properties/capacity', 'invalid_type'],
      ['/properties/kind', 'required'],
      ['/properties/name', 'invalid_type'],
      ['/properties/wheelchair', 'invalid_value'],
    ])
    for (const e of errors) expect(e.message.nl).not.toEqual(e.message.en)
  })

  it('says a swapped lat/lon is outside the region, in Dutch and English', () => {
    const result = schemas.point.safeParse({ type: 'Point', coordinates: [52.51, 5.47] })
    expect(result.success).toBe(false)
    if (result.success) return
    const [error] = zodToFieldErrors(result.error, { type: 'Point', coordinates: [52.51, 5.47] })
    expect(error?.code).toBe('outside_region')
    expect(error?.message.en).toContain('longitude first')
    expect(error?.message.nl).toContain('eerst lengtegraad')
  })

  it('validates OpenStreetMap opening_hours', () => {
    expect(openingHoursError('Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off')).toBeUndefined()
    expect(openingHoursError('24/7')).toBeUndefined()
    expect(openingHoursError('maandag 9 tot 5')).toBeDefined()
    expect(openingHoursError('Mo 25:00-26:00')).toBeDefined()
  })
})

describe('CBS areas', () => {
  it('derives the level and parents from CBS codes', () => {
    expect(levelOfCode('GM0995')).toBe('gemeente')
    expect(levelOfCode('WK099501')).toBe('wijk')
    expect(levelOfCode('BU09950101')).toBe('buurt')
    expect(levelOfCode('8232')).toBe('pc4')
    expect(levelOfCode('PV24')).toBeUndefined()
  })

  it('reports features without code or polygon, and duplicates', () => {
    const poly = {
      type: 'Polygon',
      coordinates: [
        [
          [5, 52],
          [5.1, 52],
          [5.1, 52.1],
          [5, 52],
        ],
      ],
    }
    const result = normaliseAreas(
      {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: 'GM0995', name: 'Lelystad', population: 10 },
            geometry: poly,
          },
          { type: 'Feature', properties: { code: 'GM0995', name: 'Twee keer' }, geometry: poly },
          { type: 'Feature', properties: { name: 'Geen code' }, geometry: poly },
          {
            type: 'Feature',
            properties: { code: 'GM0034' },
            geometry: { type: 'Point', coordinates: [5, 52] },
          },
        ],
      },
      { year: 2022, source: 'test' },
    )
    expect(result.areas.map((a) => a.code)).toEqual(['GM0995'])
    expect(result.errors.map((e) => e.errors[0]?.code)).toEqual([
      'duplicate',
      'required',
      'invalid_geometry',
    ])
  })
})

describe('import formats', () => {
  it('reads RD New x/y columns and refuses coordinates outside the Netherlands', () => {
    const parsed = parseCsvImport('name,kind,x,y\nA,bench,155000,463000\nB,bench,5.47,52.51\n')
    expect(parsed.candidates[0]?.errors).toEqual([])
    const coords = (parsed.candidates[0]?.input.geometry as { coordinates: number[] }).coordinates
    expect(coords[0]).toBeCloseTo(5.3872, 3)
    expect(parsed.candidates[1]?.errors[0]?.code).toBe('invalid_coordinates')
  })

  it('makes a stable reference from kind, name and position', () => {
    expect(contentRef('bench', 'Bank', 5.47, 52.51)).toBe(
      contentRef('bench', ' bank ', 5.47, 52.51),
    )
    expect(contentRef('bench', 'Bank', 5.47, 52.51)).not.toBe(
      contentRef('bench', 'Bank', 5.471, 52.51),
    )
  })
})

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      seedOnEmpty: true,
      regionBbox: DEFAULT_REGION_BBOX,
    })
    expect(config.dataDir).toMatch(/var[/\\]pglite$/)
  })

  it('fails fast naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
    expect(() => loadConfig({ BUURTKAART_REGION_BBOX: '1,2,3' })).toThrow(/BUURTKAART_REGION_BBOX/)
  })
})
