import type { Lang } from './messages.js'

/** A number as a reader of `lang` writes it (nl-NL: 1.234,5; en-GB: 1,234.5), `digits` decimals. */
export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n)
}

/** A distance in metres: whole metres below 1 km, else kilometres with one decimal when needed. */
export function formatDistance(m: number, lang: Lang): string {
  return m >= 1000
    ? `${formatNumber(m / 1000, lang, m % 1000 === 0 ? 0 : 1)} km`
    : `${formatNumber(m, lang)} m`
}

/** A share (0–1) as a percentage with one decimal; '–' when there is none. */
export function formatShare(share: number | null, lang: Lang): string {
  return share === null ? '–' : `${formatNumber(share * 100, lang, 1)}%`
}

/** A moment as a date in Amsterdam, e.g. "6 dec 2026" / "6 Dec 2026". */
export function formatDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso))
}
