import { locale } from './index.js'

/** Numbers in the interface language (UX.md): 1.234 inwoners; 1,9 km — or 1,234; 1.9 km. */
const whole = new Intl.NumberFormat(locale)
const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })

export const formatNumber = (n: number) => whole.format(n)
/**
 * Inhabitants for reading: the figures hold fractions of people (nothing is rounded before
 * display), shown here as whole people, or "<1" for a hexagon of farmland with a fraction.
 */
export const formatPeople = (n: number) => (n > 0 && n < 0.5 ? '<1' : whole.format(Math.round(n)))
export const formatDecimal = (n: number) => oneDecimal.format(n)
export const formatPercent = (share: number) => percent.format(share)

/** Metres below a kilometre ("306 m"), else kilometres with one decimal ("1,9 km"). */
export const formatDistance = (m: number) =>
  m >= 1000 ? `${oneDecimal.format(m / 1000)} km` : `${whole.format(Math.round(m))} m`

/** "21 nov 2026" (UX.md), or "21 Nov 2026". */
export const formatDate = (iso: string) =>
  new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  })
    .format(new Date(iso))
    .replace('.', '')
