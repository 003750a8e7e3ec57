#!/usr/bin/env node
import { report } from './cli-errors.js'
import { exitAfterFlush } from './cli-format.js'
import { createProgram } from './cli-program.js'

const debug = process.argv.includes('--debug')

const program = createProgram((work) => {
  work.then(
    (code) => exitAfterFlush(code),
    (error) => exitAfterFlush(report(error, {}, debug)),
  )
})

program.parseAsync(process.argv).catch((error) => exitAfterFlush(report(error, {}, debug)))
