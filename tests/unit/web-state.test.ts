import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStore, latest } from '../../web/src/state/store.js'
import {
  DEFAULT_VIEW,
  SECTIONS,
  filterQuery,
  fromUrl,
  gemeenteOf,
  LAYERS,
  MODES,
  RESOLUTIONS,
  roundCamera,
  STATUSES,
  THRESHOLDS,
  toUrl,
  WHEELCHAIR,
  type ViewState,
} from '../../web/src/state/view.js'

const uuid = '0b8f2c3e-6a1d-4f5e-9c7b-1a2b3c4d5e6f'
const uuid2 = 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b'

describe('the view state of a URL', () => {
  it('is the default view for a bare URL', () => {
    expect(fromUrl('/')).toEqual(DEFAULT_VIEW)
  })

  it('reads every parameter permalinks have used', () => {
    const state = fromUrl(
      `/?layer=distance&threshold=1600&mode=walk&res=9&area=WK099501&place=${uuid}` +
        '&kind=community_centre,library&status=active,planned&wheelchair=yes&freeEntry=true' +
        '&openAt=now&approximate=include&lang=en&tiles=assets#10.5/52.51/5.47',
    )
    expect(state).toEqual({
      layer: 'distance',
      threshold: 1600,
      mode: 'walk',
      res: 9,
      area: 'WK099501',
      place: uuid,
      filter: {
        kinds: ['community_centre', 'library'],
        statuses: ['active', 'planned'],
        wheelchair: 'yes',
        freeEntry: true,
        openNow: true,
        approximate: true,
      },
      scenario: undefined,
      camera: { zoom: 10.5, lat: 52.51, lon: 5.47, bearing: 0, pitch: 0 },
      lang: 'en',
      tiles: true,
      section: 'plek',
    } satisfies ViewState)
  })

  it('opens the section a link names, else the place when it has one, else the map', () => {
    expect(fromUrl('/?section=gebied&area=GM0995').section).toBe('gebied')
    expect(fromUrl(`/?place=${uuid}`).section).toBe('plek')
    expect(fromUrl('/?section=elsewhere').section).toBe('kaart')
    expect(toUrl({ ...DEFAULT_VIEW, section: 'rapport' })).toContain('section=rapport')
    expect(toUrl({ ...DEFAULT_VIEW, place: uuid, section: 'plek' })).not.toContain('section')
  })

  it('keeps the links of the README and the browser tests as they were', () => {
    for (const link of [
      '?layer=distance&threshold=800&approximate=include#10.5/52.51/5.47',
      '?layer=none&threshold=800&mode=line&area=GM0995',
      '?layer=distance&threshold=800&mode=line&area=GM0995&wheelchair=yes&approximate=include',
      '?layer=detour&threshold=800&mode=walk#14.5/52/4.3705',
      '?layer=none&threshold=800&mode=line&lang=en&tiles=assets#12/52.37/5.22',
      `?layer=gap&threshold=800&mode=line&area=GM0995&whatif=1&add=5.51,52.5,living_room&close=${uuid}&scenario=${uuid2}`,
    ]) {
      const again = fromUrl(toUrl(fromUrl(link)))
      expect(again, link).toEqual(fromUrl(link))
    }
    expect(
      toUrl(fromUrl('?layer=distance&threshold=800&approximate=include#10.5/52.51/5.47')),
    ).toBe('?layer=distance&threshold=800&mode=line&approximate=include#10.5/52.51/5.47')
  })

  it('writes the status filter as the browser tests read it', () => {
    const q = new URLSearchParams(toUrl(fromUrl('?status=planned,active')))
    expect(q.get('status')).toBe('active,planned')
    expect(new URLSearchParams(toUrl(fromUrl('?status=active'))).has('status')).toBe(false)
  })

  it('falls back to the default for each value it does not understand', () => {
    const state = fromUrl(
      '?layer=volcanoes&threshold=801&mode=car&res=11&area=Lelystad&place=1%20OR%201' +
        '&status=gone&wheelchair=maybe&freeEntry=yes&openAt=later&approximate=1&lang=de' +
        '&tiles=all#99/52/5',
    )
    expect(state).toEqual(DEFAULT_VIEW)
  })

  it('drops the broken parts of a list and keeps the rest', () => {
    const state = fromUrl(
      `?kind=library,Robert');DROP,library,cafe&add=5.5,52.5,cafe;x,y,cafe;5.6,52.6;5.7,52.7,bench&close=${uuid},nope`,
    )
    expect(state.filter.kinds).toEqual(['library', 'cafe'])
    expect(state.scenario).toEqual({
      add: [
        { lon: 5.5, lat: 52.5, kind: 'cafe' },
        { lon: 5.7, lat: 52.7, kind: 'bench' },
      ],
      close: [uuid],
      saved: undefined,
    })
  })

  it('tells an empty kind list (no kind counts) from no kind filter', () => {
    expect(fromUrl('?kind=').filter.kinds).toEqual([])
    expect(new URLSearchParams(toUrl(fromUrl('?kind='))).get('kind')).toBe('')
    expect(new URLSearchParams(toUrl(fromUrl('?'))).has('kind')).toBe(false)
  })

  it('opens a scenario for whatif or add, and only then reads close and scenario', () => {
    expect(fromUrl('?whatif=1').scenario).toEqual({ add: [], close: [], saved: undefined })
    expect(fromUrl(`?close=${uuid}&scenario=${uuid2}`).scenario).toBeUndefined()
  })

  it('reads a map position with bearing and pitch, and refuses one off the globe', () => {
    expect(fromUrl('#12/52.37/5.22/-20.5/40').camera).toEqual({
      zoom: 12,
      lat: 52.37,
      lon: 5.22,
      bearing: -20.5,
      pitch: 40,
    })
    for (const hash of ['#12/95/5', '#12/52', '#12//5', '#a/b/c', '#12/52/5/0/0/0'])
      expect(fromUrl(hash).camera, hash).toBeUndefined()
  })

  it('round-trips every view', () => {
    const finite = (min: number, max: number) =>
      fc.double({ min, max, noNaN: true }).map((n) => n + 0)
    const view: fc.Arbitrary<ViewState> = fc.record({
      layer: fc.constantFrom(...LAYERS),
      threshold: fc.constantFrom(...THRESHOLDS),
      mode: fc.constantFrom(...MODES),
      res: fc.constantFrom(...RESOLUTIONS),
      area: fc.oneof(
        fc.constant(''),
        fc.integer({ min: 0, max: 9999 }).map((n) => `GM${String(n).padStart(4, '0')}`),
        fc.integer({ min: 0, max: 999_999 }).map((n) => `WK${String(n).padStart(6, '0')}`),
      ),
      place: fc.oneof(fc.constant(''), fc.uuid()),
      filter: fc.record({
        kinds: fc.oneof(
          fc.constant('all' as const),
          fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), { maxLength: 5 }),
        ),
        statuses: fc
          .subarray([...STATUSES], { minLength: 1 })
          .map((s) => STATUSES.filter((x) => s.includes(x))),
        wheelchair: fc.constantFrom(...WHEELCHAIR),
        freeEntry: fc.boolean(),
        openNow: fc.boolean(),
        approximate: fc.boolean(),
      }),
      scenario: fc.option(
        fc.record({
          add: fc.array(
            fc.record({
              lon: finite(-180, 180),
              lat: finite(-90, 90),
              kind: fc.stringMatching(/^[a-z][a-z_]{0,15}$/),
            }),
            { maxLength: 4 },
          ),
          close: fc.uniqueArray(fc.uuid(), { maxLength: 3 }),
          saved: fc.option(fc.uuid(), { nil: undefined }),
        }),
        { nil: undefined },
      ),
      camera: fc.option(
        fc.record({
          zoom: finite(0, 24),
          lat: finite(-90, 90),
          lon: finite(-180, 180),
          bearing: finite(-180, 180),
          pitch: finite(0, 85),
        }),
        { nil: undefined },
      ),
      lang: fc.constantFrom('nl' as const, 'en' as const),
      tiles: fc.boolean(),
      section: fc.constantFrom(...SECTIONS),
    })
    fc.assert(
      fc.property(view, (state) => {
        expect(fromUrl(toUrl(state))).toEqual(state)
      }),
    )
  })
})

describe('the place filter', () => {
  it('leaves the defaults out, so no filter is no parameters', () => {
    expect(filterQuery(DEFAULT_VIEW.filter)).toEqual({})
  })

  it('names each choice as the API reads it', () => {
    expect(
      filterQuery({
        kinds: ['library'],
        statuses: ['planned'],
        wheelchair: 'limited',
        freeEntry: true,
        openNow: true,
        approximate: true,
      }),
    ).toEqual({
      kind: 'library',
      status: 'planned',
      wheelchair: 'limited',
      freeEntry: 'true',
      openAt: 'now',
      approximate: 'include',
    })
  })
})

describe('view helpers', () => {
  it('finds the gemeente of a wijk', () => {
    expect(gemeenteOf('WK099501')).toBe('GM0995')
    expect(gemeenteOf('GM0034')).toBe('GM0034')
    expect(gemeenteOf('')).toBe('')
  })

  it("rounds a camera as MapLibre's hash does", () => {
    expect(
      roundCamera({ zoom: 10.504, lat: 52.512345, lon: 5.471234, bearing: 0.04, pitch: 0.3 }),
    ).toEqual({ zoom: 10.5, lat: 52.5123, lon: 5.4712, bearing: 0, pitch: 0 })
  })
})

describe('the store', () => {
  it('tells listeners about a change, with the state before it', () => {
    const store = createStore({ a: 1, b: 'x' })
    const seen: [number, number][] = []
    store.subscribe((s, prev) => seen.push([prev.a, s.a]))
    store.set({ a: 2 })
    expect(store.get()).toEqual({ a: 2, b: 'x' })
    expect(seen).toEqual([[1, 2]])
  })

  it('keeps an equal value, and tells nobody', () => {
    const store = createStore({ list: [1, 2] })
    const before = store.get().list
    let calls = 0
    store.subscribe(() => calls++)
    store.set({ list: [1, 2] })
    expect(store.get().list).toBe(before)
    expect(calls).toBe(0)
  })

  it('tells every listener the changes in order when a listener sets the state', () => {
    const store = createStore({ layer: 'distance', mode: 'line' })
    // A listener that keeps the state consistent: the detour needs a network.
    store.subscribe((s) => {
      if (s.layer === 'detour' && s.mode === 'line') store.set({ mode: 'walk' })
    })
    const seen: string[] = []
    store.subscribe((s, prev) => seen.push(`${prev.layer}/${prev.mode} > ${s.layer}/${s.mode}`))
    store.set({ layer: 'detour' })
    expect(seen).toEqual(['distance/line > detour/line', 'detour/line > detour/walk'])
    expect(store.get().mode).toBe('walk')
  })

  it('stops telling a listener that unsubscribed', () => {
    const store = createStore({ a: 1 })
    let calls = 0
    const stop = store.subscribe(() => calls++)
    stop()
    store.set({ a: 2 })
    expect(calls).toBe(0)
  })
})

describe('latest', () => {
  it('aborts the request before when the next one starts', () => {
    const hexes = latest()
    const first = hexes.next()
    const second = hexes.next()
    expect(first.aborted).toBe(true)
    expect(second.aborted).toBe(false)
    hexes.cancel()
    expect(second.aborted).toBe(true)
  })

  it('applies only the newest answer when an older one comes last', async () => {
    const area = latest()
    const applied: string[] = []
    const request = async (answer: string, ms: number) => {
      const signal = area.next()
      await new Promise((resolve) => setTimeout(resolve, ms))
      if (!signal.aborted) applied.push(answer)
    }
    await Promise.all([request('old', 20), request('new', 1)])
    expect(applied).toEqual(['new'])
  })
})
