import { describe, expect, it } from 'vitest'
import { placeLabels, type LabelBox } from '../../web/src/map/label-placement.js'

const box = (x: number, y: number, width = 80, height = 16): LabelBox => ({ x, y, width, height })

describe('area names on the map: placement', () => {
  it('keeps the first of two names that overlap, and both when they are apart', () => {
    expect(placeLabels([box(100, 100), box(140, 105)])).toEqual([true, false])
    expect(placeLabels([box(140, 105), box(100, 100)])).toEqual([true, false])
    // 80 px wide and 2 px apart on either side: 84 px between centres is just free.
    expect(placeLabels([box(100, 100), box(184, 100)])).toEqual([true, true])
    expect(placeLabels([box(100, 100), box(183, 100)])).toEqual([true, false])
    // One above the other: 16 px high, 20 px between centres.
    expect(placeLabels([box(100, 100), box(100, 120)])).toEqual([true, true])
    expect(placeLabels([box(100, 100), box(100, 119)])).toEqual([true, false])
  })

  it('lets a name that lost to another not take room from a third', () => {
    // B overlaps A and C; C does not overlap A, so C stays although B (dropped) covered it.
    expect(placeLabels([box(100, 100), box(160, 100), box(220, 100)])).toEqual([true, false, true])
  })

  it('never keeps two names whose boxes overlap, whatever their number and places', () => {
    let seed = 7
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    const boxes = Array.from({ length: 300 }, () =>
      box(random() * 1200, random() * 800, 30 + random() * 120, 12 + random() * 6),
    )
    const keep = placeLabels(boxes, 0)
    const kept = boxes.filter((_, i) => keep[i])
    expect(kept.length).toBeGreaterThan(20)
    for (const [i, a] of kept.entries()) {
      for (const b of kept.slice(i + 1)) {
        const apart =
          Math.abs(a.x - b.x) * 2 >= a.width + b.width ||
          Math.abs(a.y - b.y) * 2 >= a.height + b.height
        expect(apart).toBe(true)
      }
    }
    // Every dropped name overlaps one that is kept (none dropped without need).
    boxes.forEach((a, i) => {
      if (keep[i]) return
      expect(
        kept.some(
          (b) =>
            Math.abs(a.x - b.x) * 2 < a.width + b.width &&
            Math.abs(a.y - b.y) * 2 < a.height + b.height,
        ),
      ).toBe(true)
    })
  })
})
