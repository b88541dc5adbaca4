import { t } from '../i18n/index.js'
import { byId } from './dom.js'

/** What is loading now, by name (a layer, the figures): the bar shows while any is. */
const busy = new Set<string>()

/**
 * The thin progress bar on top of the map: shown while a layer or the figures load, so the eye
 * sees that something is coming without looking for a status line in the panel.
 */
export function loading(what: string, on: boolean): void {
  if (on) busy.add(what)
  else busy.delete(what)
  const bar = byId<HTMLElement>('progress')
  bar.hidden = busy.size === 0
  bar.setAttribute('role', 'progressbar')
  bar.setAttribute('aria-label', t('progressLabel'))
  document.body.dataset.busy = String(busy.size > 0)
}

/** A "Opnieuw proberen" button for an error message. */
export function retryButton(id: string, run: () => void): HTMLButtonElement {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'secondary retry'
  button.id = id
  button.textContent = t('retry')
  button.addEventListener('click', run)
  return button
}
