import { describe, expect, it } from 'vitest'
import { renderResults, searchPlaces } from '../../web/src/ui/search.js'

const place = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'Feature' as const,
  id: name,
  geometry: { type: 'Point', coordinates: [5.5, 52.5] },
  properties: { name, ...extra },
})

const places = [
  place('Café De Waag', { address: 'Stadhuisplein 1, Lelystad' }),
  place('Buurthuis Zuid', { organisation: 'Stichting Welzijn Lelystad' }),
  place('Bibliotheek', { description: 'Koffie en kranten in het café' }),
  place('Waagplein bankje'),
]

describe('searching places in the web app', () => {
  it('ignores accents and case, and needs every word', () => {
    expect(searchPlaces(places, 'cafe').map((p) => p.id)).toEqual(['Café De Waag', 'Bibliotheek'])
    expect(searchPlaces(places, 'LELYSTAD welzijn').map((p) => p.id)).toEqual(['Buurthuis Zuid'])
    expect(searchPlaces(places, '   ')).toEqual([])
  })

  it('puts names that start with the query first', () => {
    expect(searchPlaces(places, 'waag').map((p) => p.id)).toEqual([
      'Waagplein bankje',
      'Café De Waag',
    ])
  })

  it('escapes what it shows and says so when nothing is found', () => {
    expect(renderResults([place('<b>Plek</b>')], 'plek')).toContain('&lt;b&gt;Plek&lt;/b&gt;')
    expect(renderResults([], 'xyz')).toContain('Geen plek gevonden')
  })
})
