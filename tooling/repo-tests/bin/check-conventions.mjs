#!/usr/bin/env node
// Prints every provider-convention violation of the repository (or of `--root <dir>`); exits 1 if any.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkConventions } from '../src/conventions.mjs'

const args = process.argv.slice(2)
const rootIndex = args.indexOf('--root')
const root =
  rootIndex === -1
    ? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
    : resolve(args[rootIndex + 1])
const { packages, violations } = checkConventions(root)
for (const violation of violations)
  console.log(`✗ ${violation.package} [${violation.rule}] ${violation.message}`)
console.log(`\n${packages.length} provider packages, ${violations.length} convention violation(s)`)
if (violations.length > 0) process.exit(1)
