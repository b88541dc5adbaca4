import { describe, expect, it } from 'vitest'
import { dutchOpeningHours, readOpeningHours } from '../../api/domain/opening-hours.js'
import { openingHoursError } from '../../api/domain/asset.js'

describe('opening hours in Dutch notation', () => {
  it.each([
    ['di-do 10-16', 'Tu-Th 10:00-16:00'],
    ['di-do 10-16 uur', 'Tu-Th 10:00-16:00'],
    ['ma t/m vr 9:00-17:00', 'Mo-Fr 09:00-17:00'],
    ['Ma t/m Vr 9:00 - 17:00 uur', 'Mo-Fr 09:00-17:00'],
    ['maandag tot en met vrijdag 9 tot 17 uur', 'Mo-Fr 09:00-17:00'],
    ['za 10.00-12.30', 'Sa 10:00-12:30'],
    ['ma,wo 9-12', 'Mo,We 09:00-12:00'],
    ['ma en wo 9-12', 'Mo,We 09:00-12:00'],
    ['dagelijks 8-20', 'Mo-Su 08:00-20:00'],
    ['elke dag van 8 tot 20 uur', 'Mo-Su 08:00-20:00'],
    ['werkdagen 9-17', 'Mo-Fr 09:00-17:00'],
    ['weekend 10-16', 'Sa,Su 10:00-16:00'],
    ['ma-vr 9-12 en 13-17', 'Mo-Fr 09:00-12:00,13:00-17:00'],
    ['ma-vr 9-12, 13-17', 'Mo-Fr 09:00-12:00,13:00-17:00'],
    ['ma-vr 9-17, za 10-12', 'Mo-Fr 09:00-17:00; Sa 10:00-12:00'],
    ['ma-vr 9-17; za 10-12; zo gesloten', 'Mo-Fr 09:00-17:00; Sa 10:00-12:00; Su off'],
    ['di 9-12 do 13-16', 'Tu 09:00-12:00; Th 13:00-16:00'],
    ['vr. 20-2', 'Fr 20:00-02:00'],
    ['woensdag 14u-17u', 'We 14:00-17:00'],
    ['op zaterdag 10–12', 'Sa 10:00-12:00'],
    ['ma-vr 9-17, feestdagen gesloten', 'Mo-Fr 09:00-17:00; PH off'],
    ['10-16 uur', '10:00-16:00'],
    ['ma 0-24', 'Mo 00:00-24:00'],
  ])('"%s" → "%s"', (dutch, osm) => {
    const r = dutchOpeningHours(dutch)
    expect(r).toEqual({ ok: true, value: osm })
    // What it makes is valid OSM syntax.
    expect(openingHoursError(osm)).toBeUndefined()
  })

  it.each([
    ['di-do 10-16 lunch', 'unknown_word', 'lunch'],
    ['ma-vr 25-26', 'invalid_time', '25'],
    ['ma 9:75-12', 'invalid_time', '9:75'],
    ['ma-vr', 'missing_time', 'ma-vr'],
    ['maandag 9 tot 5', 'time_order', '17'],
    ['ma 9-9', 'time_order', '09:00'],
    ['ma 9', 'unreadable', 'di-do 10-16'],
    ['', 'unreadable', 'di-do 10-16'],
    ['ma 9-12 @', 'unknown_word', '@'],
  ])('refuses "%s" (%s), saying so in Dutch and English', (text, reason, hint) => {
    const r = dutchOpeningHours(text)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toBe(reason)
    expect(r.message.nl).toContain(hint)
    expect(r.message.en).toContain(hint)
    expect(r.message.nl).not.toEqual(r.message.en)
    // Plain Dutch: not the OSM parser's English.
    expect(r.message.nl).not.toMatch(/Unexpected token|Please use/)
  })
})

describe('reading opening hours as a person or a file gives them', () => {
  it('keeps OSM syntax as given', () => {
    for (const osm of ['Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off', '24/7', 'Tu-Th 10:00-16:00']) {
      expect(readOpeningHours(osm)).toEqual({ ok: true, value: osm, notation: 'osm' })
    }
  })

  it('converts Dutch notation, also what the OSM parser only accepts with warnings', () => {
    expect(readOpeningHours(' di-do 10-16 uur ')).toEqual({
      ok: true,
      value: 'Tu-Th 10:00-16:00',
      notation: 'dutch',
    })
    // The OSM parser takes "ma-vr 9-17" with warnings; stored as proper OSM syntax instead.
    expect(readOpeningHours('ma-vr 9-17')).toEqual({
      ok: true,
      value: 'Mo-Fr 09:00-17:00',
      notation: 'dutch',
    })
  })

  it('refuses Dutch days without a time, which the OSM parser would read as all day', () => {
    const r = readOpeningHours('ma-vr')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toBe('missing_time')
  })

  it('keeps lenient OSM syntax as before', () => {
    expect(readOpeningHours('Mo-Fr 9-17')).toEqual({
      ok: true,
      value: 'Mo-Fr 9-17',
      notation: 'osm',
    })
  })

  it("gives the OSM parser's reason only for text that looks like OSM syntax", () => {
    const osm = readOpeningHours('Mo-Fr 09:00-17:00 lunch')
    expect(osm.ok).toBe(false)
    if (!osm.ok) expect(osm.reason).toBe('invalid_osm')
    const dutch = readOpeningHours('di-do 10-16 lunch')
    expect(dutch.ok).toBe(false)
    if (!dutch.ok) {
      expect(dutch.reason).toBe('unknown_word')
      expect(dutch.message.nl).toBe(
        'Dit woord ken ik niet in openingstijden: "lunch". Schrijf de dagen en tijden zo: "di-do 10-16" of "ma t/m vr 9:00-17:00".',
      )
    }
  })
})
