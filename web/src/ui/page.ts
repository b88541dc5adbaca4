import { lang, switchLanguage, t } from '../i18n/index.js'
import { COLORS } from '../map/layers.js'
import { byId } from './dom.js'

/**
 * A legend line: a swatch and its text. Colours are set through the DOM, never as a style
 * attribute (the Content-Security-Policy allows no inline styles).
 */
export function legendItem(text: string, swatchClass: string, style: Partial<CSSStyleDeclaration>) {
  const li = document.createElement('li')
  const swatch = document.createElement('span')
  swatch.className = swatchClass
  swatch.setAttribute('aria-hidden', 'true')
  Object.assign(swatch.style, style)
  li.append(swatch, text)
  return li
}

/** The parts of the page that follow no state: the places' legend, language, bottom sheet. */
export function setUpPage(): void {
  byId<HTMLElement>('legend').replaceChildren(
    legendItem(t('meetingPlace'), 'swatch', { background: COLORS.meetingPlace }),
    legendItem(t('other'), 'swatch', { background: COLORS.other }),
    legendItem(t('statusPlanned'), 'swatch ring', { borderColor: COLORS.planned }),
    legendItem(t('statusClosed'), 'swatch ring', { borderColor: COLORS.closed }),
    legendItem(t('notCounted'), 'swatch', { background: COLORS.faded }),
    legendItem(t('legendOutdated'), 'swatch outdated-mark', {}),
  )

  byId<HTMLButtonElement>('language').addEventListener('click', () =>
    switchLanguage(lang === 'nl' ? 'en' : 'nl'),
  )

  // The skip link moves the focus without touching the URL's hash (the map's position).
  const skip = document.querySelector<HTMLAnchorElement>('.skip-link')
  skip?.addEventListener('click', (e) => {
    e.preventDefault()
    const target = byId<HTMLElement>('panel-main')
    // On a phone the content is in the bottom sheet: open it.
    if (window.matchMedia('(max-width: 700px)').matches) {
      document.body.dataset.sheet = 'open'
      byId<HTMLElement>('sheet-handle').setAttribute('aria-expanded', 'true')
    }
    target.focus()
  })

  // On a phone the panel is a bottom sheet: the handle opens and closes it.
  const sheetHandle = byId<HTMLButtonElement>('sheet-handle')
  sheetHandle.addEventListener('click', () => {
    const open = document.body.dataset.sheet !== 'open'
    document.body.dataset.sheet = open ? 'open' : 'closed'
    sheetHandle.setAttribute('aria-expanded', String(open))
  })
}
