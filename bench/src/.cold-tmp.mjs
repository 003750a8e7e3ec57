import { execFileSync } from 'node:child_process'
import { startServer } from './processes.mjs'
const { server, baseURL } = await startServer()
for (let i = 0; i < 3; i++) for (const t of ['first:bedrock:sdk', 'first:bedrock:modelplex']) {
  const out = execFileSync(process.execPath, ['cold.mjs', t, baseURL], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n').pop()
  const r = JSON.parse(out); console.log(t, r.importMs.toFixed(0), r.callMs.toFixed(0), r.ms.toFixed(0))
}
server.send({ type: 'close' })
