import type { Logger } from './http/app.js'

const ORDER = { silent: 0, error: 1, info: 2, debug: 3 } as const

/** A console logger. It logs messages and errors, never request bodies or credentials. */
export function consoleLogger(level: keyof typeof ORDER): Logger {
  return {
    info: (message) => {
      if (ORDER[level] >= ORDER.info) console.log(`${new Date().toISOString()} ${message}`)
    },
    error: (message, error) => {
      if (ORDER[level] >= ORDER.error)
        console.error(`${new Date().toISOString()} ERROR ${message}`, error ?? '')
    },
  }
}
