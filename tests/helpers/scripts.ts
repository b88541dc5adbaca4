import { execFile } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../../api/config.js'

const TSX = path.join(projectRoot, 'node_modules', '.bin', 'tsx')

/**
 * Runs a command-line script (scripts/<name>) as `npm run` does, with `env` on top of this
 * process's and `input` on its standard input; resolves with its exit code and output.
 */
export function runScript(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      TSX,
      [path.join(projectRoot, 'scripts', name), ...args],
      { cwd: projectRoot, env: { ...process.env, ...env, LOG_LEVEL: 'error' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
    child.stdin?.end(input)
  })
}
