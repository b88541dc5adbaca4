import { en, nl, type Messages } from './messages.js'

/**
 * The interface language: Dutch first (B1), English on request. The choice lives in the URL
 * (`?lang=en`, part of every permalink) and is remembered for the next visit.
 */
export type Lang = 'nl' | 'en'

function detect(): Lang {
  // Outside a browser (unit tests of the text helpers): Dutch.
  if (typeof location === 'undefined') return 'nl'
  const fromUrl = new URLSearchParams(location.search).get('lang')
  if (fromUrl === 'en' || fromUrl === 'nl') return fromUrl
  try {
    return localStorage.getItem('buurtkaart.lang') === 'en' ? 'en' : 'nl'
  } catch {
    return 'nl'
  }
}

export const lang: Lang = detect()
export const locale = lang === 'en' ? 'en-GB' : 'nl-NL'
const messages: Messages = lang === 'en' ? en : nl

type Args<K extends keyof Messages> = Messages[K] extends (...args: infer A) => string ? A : []

/** The text of `key` in the interface language. */
export function t<K extends keyof Messages>(key: K, ...args: Args<K>): string {
  const m = messages[key] as string | ((...a: unknown[]) => string)
  return typeof m === 'function' ? m(...args) : m
}

/** A label from the API's `{ nl, en }` pairs. */
export const pickLabel = (label: { nl: string; en: string }) => label[lang]

/**
 * Fills the static page: `data-i18n="key"` sets the text, `data-i18n-attr="attr:key;…"` an
 * attribute. The HTML holds the Dutch text, so the page reads right before this runs.
 */
export function translatePage(root: ParentNode = document): void {
  document.documentElement.lang = lang
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n as keyof Messages)
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset.i18nAttr ?? '').split(';')) {
      const [attr, key] = pair.split(':')
      if (attr && key) el.setAttribute(attr, t(key as keyof Messages))
    }
  }
}

/** Switches the language: remembered, written into the URL, page reloaded. */
export function switchLanguage(to: Lang): void {
  try {
    localStorage.setItem('buurtkaart.lang', to)
  } catch {
    // Private mode: the URL still carries the choice.
  }
  const url = new URL(location.href)
  url.searchParams.set('lang', to)
  location.assign(url.toString())
}
