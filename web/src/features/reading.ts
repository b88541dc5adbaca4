import { t } from '../i18n/index.js'
import { describeCell } from '../map/layers.js'
import type { MapReading } from '../map/index.js'
import type { Store } from '../state/store.js'
import { gemeenteOf, type ViewState } from '../state/view.js'
import { byId } from '../ui/dom.js'

/**
 * Reading is not choosing: a tap or click on the map beside the places reads out what is there
 * (the cell of the layer, the area) on a card over the map; choosing that area is the card's
 * explicit button ("Kies …"). Escape or the close button puts the card away.
 */
export function createReading(deps: {
  store: Store<ViewState>
  /** The wijk of the chosen gemeente at a point. */
  wijkAt: (lon: number, lat: number) => { code: string; name: string } | undefined
}) {
  const { store } = deps
  const card = byId<HTMLElement>('reading')

  function close() {
    // The focus was on the card: back to the map it read.
    const hadFocus = card.contains(document.activeElement)
    card.hidden = true
    card.replaceChildren()
    if (hadFocus) document.querySelector<HTMLElement>('.maplibregl-canvas')?.focus()
  }

  function read(r: MapReading) {
    const s = store.get()
    const lines: string[] = []
    if (r.cell && s.layer !== 'none') lines.push(describeCell(s.layer, r.cell, s.mode))
    // Within the chosen gemeente its wijk; elsewhere the gemeente.
    const wijk =
      r.gemeente && gemeenteOf(s.area) === r.gemeente.code ? deps.wijkAt(r.lon, r.lat) : undefined
    const area = wijk ?? r.gemeente
    if (!area && lines.length === 0) return close()
    if (area) lines.push(t('readoutIn', area.name))
    const text = document.createElement('p')
    text.id = 'reading-text'
    text.textContent = lines.join('. ')
    const parts: HTMLElement[] = [text]
    if (area && area.code !== s.area) {
      const choose = document.createElement('button')
      choose.type = 'button'
      choose.id = 'reading-choose'
      choose.className = 'primary'
      choose.textContent = t('chooseArea', area.name)
      choose.addEventListener('click', () => {
        store.set({ area: area.code, section: 'gebied' })
        byId<HTMLElement>('map-announce').textContent = t('chosenArea', area.name)
        close()
        byId<HTMLElement>(wijk ? 'wijk' : 'gemeente').focus({ preventScroll: true })
      })
      parts.push(choose)
    }
    const closer = document.createElement('button')
    closer.type = 'button'
    closer.id = 'reading-close'
    closer.className = 'close'
    closer.setAttribute('aria-label', t('readoutClose'))
    closer.textContent = '×'
    closer.addEventListener('click', close)
    parts.push(closer)
    card.replaceChildren(...parts)
    card.hidden = false
    // The card says it all: no hover read-out beside it.
    byId<HTMLElement>('readout').hidden = true
  }

  // The area chosen elsewhere: a card that offered it is out of date.
  store.subscribe((s, prev) => {
    if (s.area !== prev.area || s.layer !== prev.layer) close()
  })

  return { read, close, isOpen: () => !card.hidden }
}
