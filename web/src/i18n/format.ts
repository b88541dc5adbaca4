/** Numbers the Dutch way (UX.md): 1.234 inwoners; 1,9 km. */
const whole = new Intl.NumberFormat('nl-NL')
const oneDecimal = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 })

export const formatNumber = (n: number) => whole.format(n)
export const formatDecimal = (n: number) => oneDecimal.format(n)

/** Metres below a kilometre ("306 m"), else kilometres with one decimal ("1,9 km"). */
export const formatDistance = (m: number) =>
  m >= 1000 ? `${oneDecimal.format(m / 1000)} km` : `${whole.format(Math.round(m))} m`
