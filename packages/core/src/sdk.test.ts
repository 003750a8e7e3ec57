import { describe, expect, it, vi } from 'vitest'
import { MissingDependencyError } from './errors.js'
import { importSdk } from './sdk.js'

describe('importSdk', () => {
  it('an injected module wins: the importer is never called', async () => {
    const injected = { OpenAI: class {} }
    const importer = vi.fn(async () => ({ OpenAI: class {} }))
    expect(await importSdk('openai', injected, importer, 'openai')).toBe(injected)
    expect(importer).not.toHaveBeenCalled()
  })

  it('imports the package when nothing is injected', async () => {
    const sdk = { version: '1' }
    expect(await importSdk('vendor-sdk', undefined, async () => sdk)).toBe(sdk)
  })

  it('a missing package → MissingDependencyError with the npm i line and the cause', async () => {
    const error = await importSdk(
      'modelplex-no-such-sdk',
      undefined,
      // @ts-expect-error: the package does not exist, which is the point
      () => import('modelplex-no-such-sdk'),
      'nowhere',
    ).catch((e: unknown) => e)
    expect(MissingDependencyError.isInstance(error)).toBe(true)
    const missing = error as MissingDependencyError
    expect(missing.message).toContain('npm i modelplex-no-such-sdk')
    expect(missing.message).toContain('nowhere')
    expect(missing.packageName).toBe('modelplex-no-such-sdk')
    expect(missing.provider).toBe('nowhere')
    expect(missing.cause).toBeInstanceOf(Error)
  })

  it.each(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'])('recognises Node code %s', async (code) => {
    const cause = Object.assign(new Error("Cannot find package 'groq-sdk'"), { code })
    const error = await importSdk('groq-sdk', undefined, () => Promise.reject(cause), 'groq').catch(
      (e: unknown) => e,
    )
    expect(MissingDependencyError.isInstance(error)).toBe(true)
    expect((error as MissingDependencyError).message).toContain('npm i groq-sdk')
    expect((error as MissingDependencyError).cause).toBe(cause)
  })

  it('rethrows any other import error untouched', async () => {
    const broken = new SyntaxError('Unexpected token in groq-sdk/index.js')
    await expect(importSdk('groq-sdk', undefined, () => Promise.reject(broken))).rejects.toBe(broken)
  })
})
