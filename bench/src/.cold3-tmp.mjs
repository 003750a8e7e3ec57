import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { startServer } from './processes.mjs'
const { server, baseURL } = await startServer()
const session = new Session(); session.connect()
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start')
const { createBedrock } = await import('@modelplex/provider-bedrock')
const p = createBedrock({ region: 'us-east-1', accessKeyId: 'AKIABENCHNOTAREALKEY', secretAccessKey: 'x', baseURL, retry: { maxRetries: 0 } })
await p.generate({ model: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: 'hi' }] })
const { profile } = await session.post('Profiler.stop')
writeFileSync('/tmp/first-b16.cpuprofile', JSON.stringify(profile))
server.send({ type: 'close' }); process.exit(0)
