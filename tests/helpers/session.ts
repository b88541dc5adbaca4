import type { App } from '../../api/http/app.js'
import type { Role } from '../../api/domain/roles.js'
import { createUser } from '../../api/services/users.js'
import { readResponse, type TestContext } from './backends.js'

/** The password of every account the tests make. */
export const PASSWORD = 'een-lang-wachtwoord-42'

/** Makes an account with PASSWORD; the e-mail is `<role>@example.nl` unless given. */
export function makeUser(
  ctx: TestContext,
  role: Role,
  name = `Fatima (${role})`,
  email = `${role}@example.nl`,
) {
  return createUser(
    ctx.handle.db,
    { email, display_name: name, role, password: PASSWORD },
    { actor: 'test', clock: ctx.clock },
  )
}

/** A browser-like client for `app.request()`: keeps the session cookie and sends the CSRF token. */
export class Browser {
  cookie: string | undefined
  csrf: string | undefined

  constructor(
    readonly app: App,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    url: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; json: any; text: string }> {
    const headers: Record<string, string> = { ...this.headers }
    if (this.cookie) headers.cookie = `bk_session=${this.cookie}`
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf
    if (body !== undefined) headers['content-type'] = 'application/json'
    Object.assign(headers, extra)
    const res = await this.app.request(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    // Like a browser: the last Set-Cookie for the name wins.
    for (const line of res.headers.getSetCookie()) {
      const m = /^bk_session=([^;]*)/.exec(line)
      if (m) this.cookie = m[1] || undefined
    }
    return readResponse(res)
  }

  async login(email: string, password: string) {
    const res = await this.request('POST', '/api/auth/login', { email, password })
    if (res.status === 200) this.csrf = res.json.csrf_token
    return res
  }
}
