import { expect, it } from 'vitest'
import { assetBody, call, describeBackends } from '../helpers/backends.js'

describeBackends('asset register', (ctx) => {
  const create = async (props: Record<string, unknown> = {}, coords?: [number, number]) => {
    const res = await call(ctx().app, 'POST', '/api/assets', assetBody(props, coords))
    expect(res.status, res.text).toBe(201)
    return res
  }

  it('creates an asset with defaults, Location and ETag', async () => {
    const res = await create({
      opening_hours: 'Mo-Fr 09:00-17:00',
      target_groups: ['elderly', 'elderly'],
    })
    expect(res.headers.get('location')).toBe(`/api/v1/assets/${res.json.id}`)
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('content-type')).toContain('application/geo+json')
    expect(res.json.geometry).toEqual({ type: 'Point', coordinates: [5.4714, 52.5185] })
    expect(res.json.properties).toMatchObject({
      name: 'Buurthuis De Kern',
      kind: 'community_centre',
      is_meeting_place: true,
      wheelchair: 'unknown',
      status: 'active',
      location_precision: 'exact',
      source: 'user',
      target_groups: ['elderly'],
      opening_hours: 'Mo-Fr 09:00-17:00',
      version: 1,
      created_by: expect.stringMatching(/^user:/),
      deleted_at: null,
    })
  })

  it('takes opening hours in Dutch notation and stores them as OSM syntax', async () => {
    const res = await create({ opening_hours: 'di-do 10-16 uur' })
    expect(res.json.properties.opening_hours).toBe('Tu-Th 10:00-16:00')
    const changed = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${res.json.id}`,
      { properties: { opening_hours: 'ma t/m vr 9:00-17:00; za 10.00-12.30' } },
      { 'if-match': '"v1"' },
    )
    expect(changed.status, changed.text).toBe(200)
    expect(changed.json.properties.opening_hours).toBe('Mo-Fr 09:00-17:00; Sa 10:00-12:30')
  })

  it('refuses unreadable opening hours with 422, the field named, in plain Dutch and English', async () => {
    const res = await call(
      ctx().app,
      'POST',
      '/api/assets',
      assetBody({ opening_hours: 'maandag 9 tot 5' }),
    )
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const [error] = res.json.errors
    expect(error.pointer).toBe('/properties/opening_hours')
    expect(error.code).toBe('invalid_opening_hours')
    expect(error.messages.nl).toContain('de eindtijd ligt voor de begintijd')
    expect(error.messages.en).toContain('the end comes before the start')
    expect(JSON.stringify(res.json)).not.toMatch(/Unexpected token|Please use/)
    const en = await call(
      ctx().app,
      'POST',
      '/api/assets?lang=en',
      assetBody({ opening_hours: 'di-do 10-16 lunch' }),
    )
    expect(en.status).toBe(422)
    expect(en.json.errors[0].detail).toBe(
      'This word is not understood in opening hours: "lunch". Write days and times like "di-do 10-16", "ma t/m vr 9:00-17:00" or "Mo-Fr 09:00-17:00".',
    )
  })

  it('takes is_meeting_place from the kind unless it is given', async () => {
    const bench = await create({ kind: 'bench', name: 'Bankje bij de vijver' })
    expect(bench.json.properties.is_meeting_place).toBe(false)
    const school = await create({ kind: 'school', name: 'De Regenboog', is_meeting_place: true })
    expect(school.json.properties.is_meeting_place).toBe(true)
  })

  it('reads one asset with an ETag and answers 304 to If-None-Match', async () => {
    const { json } = await create()
    const got = await call(ctx().app, 'GET', `/api/assets/${json.id}`)
    expect(got.status).toBe(200)
    expect(got.json).toEqual(json)
    const again = await call(ctx().app, 'GET', `/api/assets/${json.id}`, undefined, {
      'if-none-match': '"v1"',
    })
    expect(again.status).toBe(304)
  })

  it('answers 404 problem+json for unknown and malformed ids', async () => {
    for (const id of [
      '7d5f3b8e-0000-4000-8000-000000000000',
      'not-a-uuid',
      "1'; drop table assets;--",
    ]) {
      const res = await call(ctx().app, 'GET', `/api/assets/${encodeURIComponent(id)}`)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(res.json.code).toBe('not_found')
    }
  })

  it('patches with If-Match, bumps the version and keeps the before/after history', async () => {
    const { json } = await create()
    const res = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      {
        properties: { name: 'Buurthuis De Kern (nieuw)', capacity: 40 },
        geometry: { type: 'Point', coordinates: [5.48, 52.52] },
      },
      { 'if-match': '"v1"' },
    )
    expect(res.status, res.text).toBe(200)
    expect(res.headers.get('etag')).toBe('"v2"')
    expect(res.json.properties).toMatchObject({
      name: 'Buurthuis De Kern (nieuw)',
      capacity: 40,
      version: 2,
    })
    expect(res.json.geometry.coordinates).toEqual([5.48, 52.52])
    const history = await call(ctx().app, 'GET', `/api/assets/${json.id}/history`)
    expect(
      history.json.entries.map((e: { action: string; version: number }) => [e.action, e.version]),
    ).toEqual([
      ['create', 1],
      ['update', 2],
    ])
    const update = history.json.entries[1]
    expect(update.before.properties.name).toBe('Buurthuis De Kern')
    expect(update.after.properties.name).toBe('Buurthuis De Kern (nieuw)')
    expect(update.before.geometry.coordinates).toEqual([5.4714, 52.5185])
  })

  it('refuses a stale version with 412 and the current asset, and changes nothing', async () => {
    const { json } = await create()
    const first = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { name: 'Eerste' } },
      { 'if-match': '"v1"' },
    )
    expect(first.status).toBe(200)
    const stale = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { name: 'Tweede' } },
      { 'if-match': '"v1"' },
    )
    expect(stale.status).toBe(412)
    expect(stale.headers.get('content-type')).toContain('application/problem+json')
    expect(stale.json.current.version).toBe(2)
    expect(stale.json.current.name).toBe('Eerste')
    const now = await call(ctx().app, 'GET', `/api/assets/${json.id}`)
    expect(now.json.properties.name).toBe('Eerste')
  })

  it('requires If-Match on PATCH (428) and rejects a malformed one (400)', async () => {
    const { json } = await create()
    const missing = await call(ctx().app, 'PATCH', `/api/assets/${json.id}`, {
      properties: { name: 'X' },
    })
    expect(missing.status).toBe(428)
    const bad = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { name: 'X' } },
      { 'if-match': 'yesterday' },
    )
    expect(bad.status).toBe(400)
    expect((await call(ctx().app, 'GET', `/api/assets/${json.id}`)).json.properties.version).toBe(1)
  })

  it('does not bump the version for a patch that changes nothing', async () => {
    const { json } = await create()
    const res = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { name: 'Buurthuis De Kern' } },
      { 'if-match': '"v1"' },
    )
    expect(res.status).toBe(200)
    expect(res.json.properties.version).toBe(1)
    const history = await call(ctx().app, 'GET', `/api/assets/${json.id}/history`)
    expect(history.json.entries).toHaveLength(1)
  })

  it('moves is_meeting_place along with a kind change unless it was overridden', async () => {
    const { json } = await create({ kind: 'bench', name: 'Bank' })
    const res = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { kind: 'picnic_table' } },
      { 'if-match': '"v1"' },
    )
    expect(res.json.properties.is_meeting_place).toBe(false)
    const toCafe = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { kind: 'cafe' } },
      { 'if-match': '"v2"' },
    )
    expect(toCafe.json.properties.is_meeting_place).toBe(true)
    const override = await create({
      kind: 'cafe',
      name: 'Café zonder buurtfunctie',
      is_meeting_place: false,
    })
    const toLibrary = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${override.json.id}`,
      { properties: { kind: 'library' } },
      { 'if-match': '"v1"' },
    )
    expect(toLibrary.json.properties.is_meeting_place).toBe(false)
  })

  it('soft-deletes (410 afterwards), restores, and records both in the history', async () => {
    const { json } = await create()
    const del = await call(ctx().app, 'DELETE', `/api/assets/${json.id}`, undefined, {
      'if-match': '"v1"',
    })
    expect(del.status).toBe(204)
    expect((await call(ctx().app, 'GET', `/api/assets/${json.id}`)).status).toBe(410)
    const list = await call(ctx().app, 'GET', '/api/assets')
    expect(list.json.features).toHaveLength(0)
    expect((await call(ctx().app, 'DELETE', `/api/assets/${json.id}`)).status).toBe(410)
    const restored = await call(ctx().app, 'POST', `/api/assets/${json.id}/restore`)
    expect(restored.status).toBe(200)
    expect(restored.json.properties).toMatchObject({ version: 3, deleted_at: null })
    expect((await call(ctx().app, 'POST', `/api/assets/${json.id}/restore`)).status).toBe(409)
    const history = await call(ctx().app, 'GET', `/api/assets/${json.id}/history`)
    expect(history.json.entries.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'delete',
      'restore',
    ])
  })

  it('refuses a source reference another asset already has (409), on create and on change', async () => {
    const first = await create({ source_ref: 'kvk-123' })
    const dup = await call(ctx().app, 'POST', '/api/assets', assetBody({ source_ref: 'kvk-123' }))
    expect(dup.status).toBe(409)
    expect(dup.json.errors[0]).toMatchObject({
      pointer: '/properties/source_ref',
      code: 'duplicate',
    })
    const other = await create({ name: 'Ander', source_ref: 'kvk-456' })
    const clash = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${other.json.id}`,
      { properties: { source_ref: 'kvk-123' } },
      { 'if-match': '"v1"' },
    )
    expect(clash.status).toBe(409)
    const same = await call(
      ctx().app,
      'PATCH',
      `/api/assets/${first.json.id}`,
      { properties: { source_ref: 'kvk-123', name: 'Zelfde ref' } },
      { 'if-match': '"v1"' },
    )
    expect(same.status).toBe(200)
  })

  it('refuses a delete with a stale If-Match', async () => {
    const { json } = await create()
    await call(
      ctx().app,
      'PATCH',
      `/api/assets/${json.id}`,
      { properties: { name: 'Nieuw' } },
      { 'if-match': '"v1"' },
    )
    const del = await call(ctx().app, 'DELETE', `/api/assets/${json.id}`, undefined, {
      'if-match': '"v1"',
    })
    expect(del.status).toBe(412)
    expect((await call(ctx().app, 'GET', `/api/assets/${json.id}`)).status).toBe(200)
  })

  it('the database itself refuses to rewrite history', async () => {
    const { json } = await create()
    const { sql } = await import('kysely')
    await expect(
      sql`update asset_history set actor = 'someone else'`.execute(ctx().handle.db),
    ).rejects.toThrow(/append-only/)
    await expect(sql`delete from asset_history`.execute(ctx().handle.db)).rejects.toThrow(
      /append-only/,
    )
    const history = await call(ctx().app, 'GET', `/api/assets/${json.id}/history`)
    expect(history.json.entries[0]).toMatchObject({
      actor: expect.stringMatching(/^user:/),
      actor_name: 'Test admin',
    })
  })

  it('filters by bbox, kind, status and text, and pages with a cursor in name order', async () => {
    await create({ name: 'Bibliotheek Lelystad', kind: 'library' }, [5.475, 52.51])
    await create(
      { name: 'Café De Waag', kind: 'cafe', organisation: 'Stichting Buurtkracht' },
      [5.47, 52.515],
    )
    await create({ name: 'Bankje Emmeloord', kind: 'bench' }, [5.748, 52.71])
    await create(
      { name: 'Nieuw buurthuis Almere', kind: 'community_centre', status: 'planned' },
      [5.22, 52.37],
    )
    await create(
      { name: '100% inloop_huis', kind: 'living_room', description: 'Koffie en een praatje' },
      [5.2, 52.36],
    )
    const names = async (query: string) =>
      (await call(ctx().app, 'GET', `/api/assets?${query}`)).json.features.map(
        (f: { properties: { name: string } }) => f.properties.name,
      )

    expect(await names('bbox=5.4,52.45,5.55,52.55')).toEqual([
      'Bibliotheek Lelystad',
      'Café De Waag',
    ])
    expect(await names('kind=bench,library')).toEqual(['Bankje Emmeloord', 'Bibliotheek Lelystad'])
    expect(await names('status=planned')).toEqual(['Nieuw buurthuis Almere'])
    expect(await names('q=buurtkracht')).toEqual(['Café De Waag'])
    expect(await names('q=KOFFIE')).toEqual(['100% inloop_huis'])
    expect(await names(`q=${encodeURIComponent('100%')}`)).toEqual(['100% inloop_huis'])
    expect(await names(`q=${encodeURIComponent('_')}`)).toEqual(['100% inloop_huis'])

    const seen: string[] = []
    let url: string | null = '/api/assets?limit=2'
    let pages = 0
    while (url) {
      const page: {
        json: {
          features: { properties: { name: string } }[]
          links: { rel: string; href: string }[]
          numberReturned: number
        }
      } = await call(ctx().app, 'GET', url)
      expect(page.json.numberReturned).toBeLessThanOrEqual(2)
      seen.push(...page.json.features.map((f) => f.properties.name))
      url = page.json.links.find((l) => l.rel === 'next')?.href ?? null
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toEqual([
      '100% inloop_huis',
      'Bankje Emmeloord',
      'Bibliotheek Lelystad',
      'Café De Waag',
      'Nieuw buurthuis Almere',
    ])
  })

  it('rejects bad list parameters with 400 and the parameter named', async () => {
    for (const query of [
      'bbox=1,2,3',
      'bbox=5,53,4,52',
      'kind=castle',
      'status=open',
      'limit=0',
      'limit=abc',
      'cursor=zzz',
      'kinds=cafe',
    ]) {
      const res = await call(ctx().app, 'GET', `/api/assets?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(res.json.errors?.[0]?.in ?? 'query').toBe('query')
    }
  })
})
