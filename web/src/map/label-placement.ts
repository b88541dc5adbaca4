/** A label's box on the screen: its centre and its size, in CSS pixels. */
export interface LabelBox {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * Which labels to show so that none covers another: in priority order (the first box is the
 * most important), a label is kept when its box, grown by `gap` pixels on every side, overlaps
 * no label kept before it. This is the greedy placement map renderers use for their symbols;
 * the HTML area names need it because MapLibre only places its own (glyph) labels.
 */
export function placeLabels(boxes: readonly LabelBox[], gap = 2): boolean[] {
  const kept: LabelBox[] = []
  return boxes.map((box) => {
    const free = kept.every(
      (other) =>
        Math.abs(box.x - other.x) * 2 >= box.width + other.width + 4 * gap ||
        Math.abs(box.y - other.y) * 2 >= box.height + other.height + 4 * gap,
    )
    if (free) kept.push(box)
    return free
  })
}
