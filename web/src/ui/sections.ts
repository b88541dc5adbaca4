import type { Store } from '../state/store.js'
import { SECTIONS, type Section, type ViewState } from '../state/view.js'
import { byId } from './dom.js'

/**
 * The panel's sections as tabs (WAI-ARIA tabs with automatic activation): a click or the arrow
 * keys open one; the open section is part of the view state, so of the permalink. Opening a
 * place opens its section.
 */
export function createSections(store: Store<ViewState>) {
  const tabs = SECTIONS.map((s) => byId<HTMLButtonElement>(`tab-${s}`))
  const panels = SECTIONS.map((s) => byId<HTMLElement>(`section-${s}`))

  function render(open: Section) {
    SECTIONS.forEach((s, i) => {
      const selected = s === open
      tabs[i]!.setAttribute('aria-selected', String(selected))
      tabs[i]!.tabIndex = selected ? 0 : -1
      panels[i]!.hidden = !selected
    })
    document.body.dataset.section = open
  }

  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => store.set({ section: SECTIONS[i]! }))
    tab.addEventListener('keydown', (e) => {
      const to =
        e.key === 'ArrowRight'
          ? (i + 1) % tabs.length
          : e.key === 'ArrowLeft'
            ? (i - 1 + tabs.length) % tabs.length
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? tabs.length - 1
                : -1
      if (to < 0) return
      e.preventDefault()
      store.set({ section: SECTIONS[to]! })
      tabs[to]!.focus()
    })
  })

  store.subscribe((s, prev) => {
    // A place that opens shows itself.
    if (s.place && s.place !== prev.place) {
      // On a phone the sheet shows the place, not the top of the panel.
      byId<HTMLElement>('panel-main').scrollIntoView({ block: 'start' })
      if (s.section !== 'plek') {
        store.set({ section: 'plek' })
        return
      }
    }
    if (s.section !== prev.section) render(s.section)
  })
  render(store.get().section)

  return {
    /** Opens a section (when something it holds was asked for). */
    show: (section: Section) => store.set({ section }),
  }
}
