#!/usr/bin/env node
// Fails when the PR title (PR_TITLE, or the first argument) is not a Conventional Commit.
import { checkPrTitle } from '../src/pr-checks.mjs'

const title = process.argv[2] ?? process.env.PR_TITLE ?? ''
const problems = checkPrTitle(title)
if (problems.length === 0) {
  console.log(`PR title is a Conventional Commit: ${title}`)
} else {
  console.error(`PR title "${title}":`)
  for (const problem of problems) console.error(`  - ${problem}`)
  process.exit(1)
}
